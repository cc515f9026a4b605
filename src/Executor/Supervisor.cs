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

        // Everything below names the sandbox's files relative to it: a task's user may own its sandbox
        // without being allowed to walk the agent's work directory above it.
        if (Libc.ChDir(launch.Sandbox) != 0)
        {
            Tell($"failed {Libc.Describe($"Failed to enter the sandbox {launch.Sandbox}")}");
            return LaunchFailed;
        }

        var stdout = OpenOutputs(launch);
        using var forwarding = Waiting.ForwardTermination();
        int child;
        try
        {
            foreach (var procs in launch.CgroupProcs)
            {
                Cgroups.Join(procs);
            }

            if (launch.RootFs is null)
            {
                child = StartCommand(launch, stdout);
            }
            else
            {
                child = StartContainer(launch, stdout);
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
            // from it over the status channel, read to its end before init was waited for.
            status = StatusChannel.LastExit ?? status;
        }

        ExitStatus.Record(status);
        return ExitStatus.ShellCode(status);
    }

    /// <summary>Opens the task's stdout and stderr in the sandbox while the executor is still root, and gives
    /// them to the task's user. stderr becomes the executor's own (its diagnostics go there, as Mesos's
    /// executors' do) and the task inherits it; stdout, returned, is handed to the task only; the executor's
    /// stdout stays the pipe to the agent until the task has started, its stdin is /dev/null.</summary>
    private static int OpenOutputs(LaunchArguments launch)
    {
        var devNull = Libc.Open("/dev/null", Libc.O_RDWR, 0);
        _ = Libc.Dup2(devNull, 0);
        _ = Libc.Close(devNull);
        var stdout = Libc.Open("stdout", Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC, 420);
        var stderr = Libc.Open("stderr", Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND, 420);
        if (launch.User is not null)
        {
            _ = Libc.FChown(stdout, launch.Uid, launch.Gid);
            _ = Libc.FChown(stderr, launch.Uid, launch.Gid);
        }

        if (stderr >= 0)
        {
            _ = Libc.Dup2(stderr, 2);
            _ = Libc.Close(stderr);
        }

        return stdout;
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

    /// <summary>The task's stdin from /dev/null, its stdout the sandbox file; stderr is inherited.</summary>
    private static List<Spawn.FileAction> TaskFiles(int stdout) =>
    [
        new Spawn.OpenFile(0, "/dev/null", Libc.O_RDONLY, 0),
        new Spawn.Duplicate(stdout, 1),
    ];

    private static int StartCommand(LaunchArguments launch, int stdout)
    {
        if (launch.User is { } user)
        {
            UserSwitch.To(user, launch.Uid, launch.Gid);
        }

        var (file, argv, searchPath) = launch.Command();
        var pid = Spawn.Start(file, argv, TaskEnvironment.Current(), TaskFiles(stdout), null, searchPath);
        Waiting.Watch(pid);
        Tell(FormattableString.Invariant($"started {pid}"));
        return pid;
    }

    /// <summary>Starts the executor's init stage as pid 1 of new mount and PID namespaces. unshare() changes
    /// the namespaces of the calling thread only (and the PID namespace of its future children), so it runs on a
    /// thread of its own that spawns init and ends; the supervisor itself stays in the agent's namespaces.</summary>
    private static int StartContainer(LaunchArguments launch, int stdout)
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
                var files = TaskFiles(stdout);
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
        return pid;
    }
}
