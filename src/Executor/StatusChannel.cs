using System.Globalization;

namespace Mesos.Orleans.Executor;

/// <summary>The pipe from a container's init (its fd 3) to the supervisor: <c>started PID</c> or
/// <c>failed REASON</c> once, then <c>exit STATUS</c> with the task's raw wait status, so a task killed by a
/// signal is reported as such although init itself can only exit with a code.</summary>
internal static class StatusChannel
{
    public const int Fd = 3;

    public static int? LastExit { get; private set; }

    /// <summary>Blocks until init reports the task's end (or dies, closing the pipe).</summary>
    public static void ReadExit(StreamReader channel)
    {
        while (channel.ReadLine() is { } line)
        {
            if (line.StartsWith("exit ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(5), NumberStyles.Integer, CultureInfo.InvariantCulture, out var status))
            {
                LastExit = status;
            }
        }
    }

    public static void Send(string line) => Libc.WriteAll(Fd, line + "\n");
}
