using System.Globalization;

namespace Mesos.Orleans.Executor;

/// <summary>A wait status as the agent reads it from the sandbox's <c>.exit_status</c>: the first line is
/// the shell's number (the exit code, or 128 + the signal), a second line <c>signal N</c> when a signal
/// ended the task.</summary>
internal static class ExitStatus
{
    public const string FileName = ".exit_status";

    public static bool Signaled(int status) => (status & 0x7f) is not 0 and not 0x7f;

    public static int Signal(int status) => status & 0x7f;

    public static int Code(int status) => (status >> 8) & 0xff;

    /// <summary>What the executor exits with: the exit code, or 128 + the signal as a shell reports it.</summary>
    public static int ShellCode(int status) => Signaled(status) ? 128 + Signal(status) : Code(status);

    /// <summary>Written to a temporary file and renamed, so a reader sees the whole status or none.</summary>
    /// <remarks>In the sandbox, the executor's working directory, through libc and relative names: .NET would
    /// open absolute paths, which a task's user may not be allowed to walk.</remarks>
    public static void Record(int status)
    {
        var text = Signaled(status)
            ? string.Create(CultureInfo.InvariantCulture, $"{ShellCode(status)}\nsignal {Signal(status)}\n")
            : string.Create(CultureInfo.InvariantCulture, $"{Code(status)}\n");
        const string temporary = FileName + ".tmp";
        var fd = Libc.Open(temporary, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC | Libc.O_CLOEXEC, 420);
        if (fd < 0)
        {
            Console.Error.WriteLine($"mesos-executor: {Libc.Describe("Could not record the exit status")}");
            return;
        }

        Libc.WriteAll(fd, text);
        _ = Libc.Close(fd);
        _ = Libc.Rename(temporary, FileName);
    }
}
