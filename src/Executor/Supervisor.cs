using Microsoft.Win32.SafeHandles;

namespace Mesos.Orleans.Executor;

/// <summary>The executor's first stage, started by the agent. It leaves the agent's session (so it outlives
/// an agent restart), joins the task's cgroup (so everything it starts is born there), starts the task, tells
/// the agent on its standard output <c>started PID</c> or <c>failed REASON</c>, waits, records the exit
/// status in the sandbox and exits with it.</summary>
internal static unsafe class Supervisor
{
    /// <summary>The executor's own exit code when the task could not be started at all.</summary>
    public const int LaunchFailed = 125;

    public static int Run(LaunchArguments launch)
    {
        _ = Libc.SetSid();
        RedirectOwnOutput(launch.Sandbox);
        using var forwarding = Waiting.ForwardTermination();
        int child;
        int? statusFromInit = null;
        try
        {
            foreach (var procs in launch.CgroupProcs)
            {
                File.WriteAllText(procs, Libc.GetPid().ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (launch.RootFs is null)
            {
                child = StartCommand(launch);
            }
            else
            {
                (child, statusFromInit) = StartContainer(launch);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            Tell($"failed {e.Message.ReplaceLineEndings(" ")}");
            Console.Error.WriteLine($"mesos-executor: {e.Message}");
            return LaunchFailed;
        }

        var status = Waiting.For(child);
        if (launch.RootFs is not null)
        {
            // The container's init exits with a code; the task's real wait status (a signal included) came
            // from it over the status channel.
            status = StatusChannel.LastExit ?? status;
        }

        _ = statusFromInit;
        ExitStatus.Record(launch.Sandbox, status);
        return ExitStatus.ShellCode(status);
    }

    /// <summary>stdin from /dev/null; the executor's own diagnostics to the task's stderr file, where Mesos's
    /// executors write theirs too; stdout stays the pipe to the agent until the task has started.</summary>
    private static void RedirectOwnOutput(string sandbox)
    {
        var devNull = Libc.Open("/dev/null", Libc.O_RDWR, 0);
        _ = Libc.Dup2(devNull, 0);
        var stderr = Libc.Open(Path.Combine(sandbox, "stderr"), Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND, 420);
        if (stderr >= 0)
        {
            _ = Libc.Dup2(stderr, 2);
            _ = Libc.Close(stderr);
        }

        _ = Libc.Close(devNull);
    }

    /// <summary>One line to the agent, then stdout is let go, so that nothing ever writes to a pipe whose
    /// reader (a restarted agent) is gone.</summary>
    private static void Tell(string line)
    {
        Libc.WriteAll(1, line + "\n");
        var devNull = Libc.Open("/dev/null", Libc.O_WRONLY, 0);
        _ = Libc.Dup2(devNull, 1);
        _ = Libc.Close(devNull);
    }

    private static List<Spawn.FileAction> TaskFiles(string sandbox) =>
    [
        new Spawn.OpenFile(0, "/dev/null", Libc.O_RDONLY, 0),
        new Spawn.OpenFile(1, Path.Combine(sandbox, "stdout"), Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND, 420),
        new Spawn.OpenFile(2, Path.Combine(sandbox, "stderr"), Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND, 420),
    ];

    private static int StartCommand(LaunchArguments launch)
    {
        if (launch.User is { } user)
        {
            UserSwitch.To(user, launch.Uid, launch.Gid);
        }

        var (file, argv, searchPath) = launch.Command();
        var pid = Spawn.Start(file, argv, TaskEnvironment.Current(), TaskFiles(launch.Sandbox), launch.Sandbox, searchPath);
        Waiting.Watch(pid);
        Tell(FormattableString.Invariant($"started {pid}"));
        return pid;
    }

    /// <summary>Starts the executor's init stage as pid 1 of new mount and PID namespaces. unshare() changes
    /// the namespaces of the calling thread only (and the PID namespace of its future children), so it runs on a
    /// thread of its own that spawns init and ends; the supervisor itself stays in the agent's namespaces.</summary>
    private static (int Pid, int? Status) StartContainer(LaunchArguments launch)
    {
        var fds = stackalloc int[2];
        if (Libc.Pipe2(fds, Libc.O_CLOEXEC) != 0)
        {
            throw new InvalidOperationException(Libc.Describe("pipe"));
        }

        var (read, write) = (fds[0], fds[1]);
        int pid = 0;
        Exception? failure = null;
        var starter = new Thread(() =>
        {
            try
            {
                if (Libc.Unshare(Libc.CLONE_NEWNS | Libc.CLONE_NEWPID) != 0)
                {
                    throw new InvalidOperationException(Libc.Describe("Failed to create the container's namespaces"));
                }

                var self = Environment.ProcessPath ?? throw new InvalidOperationException("The executor cannot find its own binary");
                var files = TaskFiles(launch.Sandbox);
                files.Add(new Spawn.Duplicate(write, StatusChannel.Fd));
                pid = Spawn.Start(self, [self, .. launch.ForInit()], TaskEnvironment.Current(), files, null, searchPath: false);
            }
            catch (InvalidOperationException e)
            {
                failure = e;
            }
        });
        starter.Start();
        starter.Join();
        _ = Libc.Close(write);
        if (failure is not null)
        {
            _ = Libc.Close(read);
            throw failure;
        }

        Waiting.Watch(pid);
        using var channel = new StreamReader(new FileStream(new SafeFileHandle(read, ownsHandle: true), FileAccess.Read, 1));
        var first = channel.ReadLine();
        if (first is null || !first.StartsWith("started ", StringComparison.Ordinal))
        {
            _ = Waiting.For(pid);
            throw new InvalidOperationException(first?.StartsWith("failed ", StringComparison.Ordinal) == true ? first[7..] : "The container's init ended before the task started");
        }

        // The agent gets init's pid as the agent's PID namespace sees it: signals to it reach the task.
        Tell(FormattableString.Invariant($"started {pid}"));
        StatusChannel.ReadExit(channel);
        return (pid, StatusChannel.LastExit);
    }
}
