namespace Mesos.Orleans.Executor;

/// <summary>The executor's second stage, pid 1 of the container's PID namespace: it mounts the container's
/// root and enters it, drops to the task's user, starts the task as its child (so the task gets default
/// signal handling, which pid 1 would not), forwards SIGTERM, reaps orphans, and reports the task's wait
/// status to the supervisor before exiting, which ends whatever is left in the namespace.</summary>
internal static class ContainerInit
{
    public static int Run(LaunchArguments launch)
    {
        using var forwarding = Waiting.ForwardTermination();
        int pid;
        try
        {
            ContainerRoot.Enter(launch.RootFs!, launch.ContainerDir!, launch.Sandbox);
            if (launch.User is { } user)
            {
                UserSwitch.To(user, launch.Uid, launch.Gid);
            }

            var (file, argv, searchPath) = launch.Command();
            pid = Spawn.Start(file, argv, TaskEnvironment.Current(), [new Spawn.CloseFile(StatusChannel.Fd)], null, searchPath);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            StatusChannel.Send($"failed {e.Message.ReplaceLineEndings(" ")}");
            return Supervisor.LaunchFailed;
        }

        Waiting.Watch(pid);
        StatusChannel.Send(FormattableString.Invariant($"started {pid}"));
        var status = Waiting.ReapingFor(pid);
        StatusChannel.Send(FormattableString.Invariant($"exit {status}"));
        return ExitStatus.ShellCode(status);
    }
}
