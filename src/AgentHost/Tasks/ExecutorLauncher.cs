using System.Diagnostics;
using Mesos.Orleans.AgentHost.Containers;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>Starts a task under its own mesos-executor, which joins the task's cgroup, starts the command in
/// its own session with stdin from /dev/null and stdout/stderr to the sandbox files (in the image's root
/// filesystem and new mount and PID namespaces for a container task), and records its exit status. The
/// executor answers on its stdout once: <c>started PID</c> when the command runs, or <c>failed REASON</c>.
/// The executor is a <see cref="StandbyExecutor"/> from the agent's pool, already started and in the task's
/// cgroup, and is handed the task.</summary>
public static class ExecutorLauncher
{
    /// <summary>The executor process, returned once its command runs (whose pid, the head of the task's process
    /// group, goes to <see cref="RunningTask.CommandPid"/>); throws with the executor's reason when the task
    /// could not be started.</summary>
    public static async Task<Process> StartAsync(StandbyExecutor executor, RunningTask task, AgentId agentId, string hostname, string? user, ContainerRootFs? container)
    {
        var args = new List<string>();
        var environment = new List<string>();
        args.Add($"--sandbox={task.Sandbox}");

        if (user is not null)
        {
            var (uid, gid) = TaskUser.Lookup(user);
            args.Add($"--user={user}");
            args.Add(FormattableString.Invariant($"--uid={uid}"));
            args.Add(FormattableString.Invariant($"--gid={gid}"));
            environment.Add($"USER={user}");
            environment.Add($"LOGNAME={user}");
        }

        if (container is not null)
        {
            args.Add($"--rootfs={container.RootFs}");
            args.Add($"--container_dir={container.ContainerDirectory}");
        }

        var command = task.Info.Command!;
        if (command.Shell != false)
        {
            args.Add($"--shell={command.Value}");
        }
        else
        {
            // argv form: value is the executable, arguments the whole argv (argv[0] included).
            args.Add($"--exec={command.Value}");
            args.Add("--");
            foreach (var argument in command.Arguments is { Count: > 0 } arguments ? arguments : [command.Value!])
            {
                args.Add(argument);
            }
        }

        foreach (var (name, value) in CommandLauncher.Environment(task, agentId, hostname, container is null ? null : ContainerRootFs.SandboxInside))
        {
            environment.Add($"{name}={value}");
        }

        executor.Send(environment, args);
        task.ProcessStartTime = executor.StartTime;
        var process = executor.Process;
        var answer = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false);
        if (answer is not null && answer.StartsWith("started ", StringComparison.Ordinal))
        {
            task.CommandPid = int.TryParse(answer.AsSpan(8), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
            return process;
        }

        // The caller lets the executor go (and its process object) when the launch fails.
        await process.WaitForExitAsync().ConfigureAwait(false);
        throw new InvalidOperationException(answer is not null && answer.StartsWith("failed ", StringComparison.Ordinal)
            ? answer[7..]
            : "The task's executor ended before the task started");
    }
}
