using System.Globalization;
using System.Runtime.InteropServices;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>How a task's command ended, as its executor recorded it in the sandbox's <c>.exit_status</c>:
/// the shell's number on the first line (the exit code, or 128 + the signal), and <c>signal N</c> on a
/// second line when a signal ended it.</summary>
public sealed partial record TaskExit(int Code, int? Signal)
{
    public const string FileName = ".exit_status";

    public bool Succeeded => Code == 0 && Signal is null;

    /// <summary>Mesos's wording: "Command exited with status 1", "Command terminated with signal Killed".</summary>
    public string Message => Signal is { } signal
        ? $"Command terminated with signal {Marshal.PtrToStringUTF8(StrSignal(signal)) ?? signal.ToString(CultureInfo.InvariantCulture)}"
        : $"Command exited with status {Code}";

    /// <summary>The recorded status, or null when there is none (the executor was killed, or never ran).</summary>
    public static TaskExit? Read(string sandbox)
    {
        var path = Path.Combine(sandbox, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !int.TryParse(lines[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
        {
            return null;
        }

        int? signal = lines.Length > 1 && lines[1].StartsWith("signal ", StringComparison.Ordinal)
            && int.TryParse(lines[1].AsSpan(7), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;
        return new TaskExit(code, signal);
    }

    [LibraryImport("libc", EntryPoint = "strsignal")]
    private static partial nint StrSignal(int signal);
}
