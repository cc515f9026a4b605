using System.Diagnostics;
using Mesos.Orleans.AgentHost.Containers;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>Starts a task under its own mesos-executor, which joins the task's cgroup, starts the command in
/// its own session with stdin from /dev/null and stdout/stderr to the sandbox files (in the image's root
/// filesystem and new mount and PID namespaces for a container task), and records its exit status. The
/// executor answers on its stdout once: <c>started PID</c> when the command runs, or <c>failed REASON</c>.</summary>
public static class ExecutorLauncher
{
    /// <summary>The executor process, returned once its command runs (whose pid, the head of the task's process
    /// group, goes to <see cref="RunningTask.CommandPid"/>); throws with the executor's reason when the task
    /// could not be started.</summary>
    public static async Task<Process> StartAsync(string executor, RunningTask task, AgentId agentId, string hostname, string? user, ContainerRootFs? container)
    {
        var start = new ProcessStartInfo(executor) { UseShellExecute = false, RedirectStandardOutput = true };
        var args = start.ArgumentList;
        args.Add($"--sandbox={task.Sandbox}");
        foreach (var procs in task.Cgroup?.ProcsFiles ?? [])
        {
            args.Add($"--cgroup_procs={procs}");
        }

        if (user is not null)
        {
            var (uid, gid) = TaskUser.Lookup(user);
            args.Add($"--user={user}");
            args.Add(FormattableString.Invariant($"--uid={uid}"));
            args.Add(FormattableString.Invariant($"--gid={gid}"));
            start.Environment["USER"] = user;
            start.Environment["LOGNAME"] = user;
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
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The task's executor did not start");
        // A process's start time is fixed at its fork: read it now, while the executor's runtime starts up,
        // rather than on the critical path once it answers.
        task.ProcessStartTime = TaskCheckpoint.StartTimeOf(process.Id);
        var answer = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false);
        if (answer is not null && answer.StartsWith("started ", StringComparison.Ordinal))
        {
            task.CommandPid = int.TryParse(answer.AsSpan(8), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
            return process;
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        process.Dispose();
        throw new InvalidOperationException(answer is not null && answer.StartsWith("failed ", StringComparison.Ordinal)
            ? answer[7..]
            : "The task's executor ended before the task started");
    }
}
