using System.Runtime.InteropServices;
using System.Text;

namespace Mesos.Orleans.Executor;

/// <summary>A prestarted executor (<c>mesos-executor --standby [--cgroup_procs=FILE]...</c>): the agent starts it
/// before any task needs it, so that its runtime start, and on cgroups v1 its move into the cgroup the task
/// will have (several milliseconds: the kernel waits for an RCU grace period per hierarchy), are off every
/// launch's critical path. It joins those cgroups at once, then waits on its standard input for one task's
/// launch, which the agent writes and closes. The launch is NUL-terminated items: the number of environment
/// entries, those <c>NAME=VALUE</c> entries, then the flags of a direct start (neither can hold a NUL: exec
/// forbids it). Standard input ending with nothing written means the agent let the standby go (or died): it
/// leaves its cgroups, removes them and exits.</summary>
internal static unsafe class StandbyLaunch
{
    public const string Flag = "--standby";

    public static bool Is(string[] args) => args.Length > 0 && args[0] == Flag;

    /// <summary>Joins the standby's cgroups and waits for its launch; null when there was none (the standby has
    /// cleaned up after itself by then).</summary>
    public static LaunchArguments? Receive(string[] args)
    {
        var cgroups = new List<string>();
        foreach (var arg in args.Skip(1))
        {
            cgroups.Add(arg.StartsWith("--cgroup_procs=", StringComparison.Ordinal)
                ? arg["--cgroup_procs=".Length..]
                : throw new ArgumentException($"Unexpected standby argument '{arg}'"));
        }

        // Out of the agent's session at once: a signal to the agent's process group (a terminal's Ctrl-C, a
        // service manager's stop) must not kill a standby before it has cleaned up; it follows the agent
        // through its standard input instead.
        _ = Libc.SetSid();
        try
        {
            foreach (var procs in cgroups)
            {
                Cgroups.Join(procs);
            }
        }
        catch (IOException e)
        {
            // Said now, read by the agent once it hands over a task: that launch fails with the reason.
            Cgroups.Leave(cgroups);
            throw new ArgumentException(e.Message);
        }

        string text;
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => LetGo(context, cgroups)))
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, context => LetGo(context, cgroups)))
        {
            text = ReadToEnd(0);
        }

        if (text.Length == 0)
        {
            Cgroups.Leave(cgroups);
            return null;
        }

        // The agent ends its message with an empty item: one cut short (the agent died while writing it) is
        // not a launch.
        var items = text.Split('\0');
        if (items[^1].Length != 0)
        {
            Cgroups.Leave(cgroups);
            throw new ArgumentException("The agent's launch message ended before it was complete");
        }

        items = items[..^1];
        if (!int.TryParse(items[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            || count > items.Length - 1)
        {
            throw new ArgumentException("The agent's launch message is malformed");
        }

        for (var i = 1; i <= count; i++)
        {
            var equals = items[i].IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"Malformed environment entry '{items[i]}'");
            }

            TaskEnvironment.Set(items[i][..equals], items[i][(equals + 1)..]);
        }

        return LaunchArguments.Parse(items[(count + 1)..]);
    }

    /// <summary>Stopped while waiting: cleans up as when the agent lets it go.</summary>
    private static void LetGo(PosixSignalContext context, List<string> cgroups)
    {
        context.Cancel = true;
        Cgroups.Leave(cgroups);
        Environment.Exit(0);
    }

    private static string ReadToEnd(int fd)
    {
        var buffer = new byte[4096];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            nint n;
            fixed (byte* start = buffer)
            {
                n = Libc.Read(fd, start + length, buffer.Length - length);
            }

            if (n < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR)
            {
                continue;
            }

            if (n <= 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, length);
            }

            length += (int)n;
        }
    }
}
