using System.Diagnostics;
using System.Text;
using Mesos.Orleans.AgentHost.Isolation;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>A mesos-executor started with <c>--standby</c>, already in the cgroup its task will get (made
/// without limits), waiting on its standard input for the task it will supervise. Its runtime start and its
/// move into the cgroup — on cgroups v1 the slowest step of a launch, an RCU grace period per hierarchy —
/// happen before any task needs it.</summary>
public sealed class StandbyExecutor : IDisposable
{
    private StandbyExecutor(string name, Process process, long? startTime, TaskCgroup? cgroup, LaunchStage? stage)
    {
        Name = name;
        Process = process;
        StartTime = startTime;
        Cgroup = cgroup;
        Stage = stage;
    }

    /// <summary>Its cgroup's name: a fresh container id, which is the task's own when it is a task's only executor.</summary>
    public string Name { get; }

    public Process Process { get; }

    /// <summary>Its start time in clock ticks since boot, which tells this process from a later one with its pid.</summary>
    public long? StartTime { get; }

    /// <summary>The cgroup it waits in (null with posix isolation); the agent sets the task's limits on it.</summary>
    public TaskCgroup? Cgroup { get; }

    /// <summary>Its task's sandbox and checkpoint file, made ahead with it; null for one started for a launch
    /// that found the pool empty (the launch makes them as it goes then).</summary>
    public LaunchStage? Stage { get; }

    /// <summary>Starts a standby named <paramref name="name"/>; with <paramref name="stageIn"/> (a work
    /// directory) its launch's stage is made there first.</summary>
    public static StandbyExecutor Start(string executor, CgroupIsolator? isolator, string name, string? stageIn = null)
    {
        var stage = stageIn is null ? null : LaunchStage.Create(stageIn, name);
        TaskCgroup? cgroup;
        try
        {
            cgroup = isolator?.Prepare(name);
        }
        catch
        {
            stage?.Discard();
            throw;
        }

        var start = new ProcessStartInfo(executor)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add("--standby");
        foreach (var procs in cgroup?.ProcsFiles ?? [])
        {
            start.ArgumentList.Add($"--cgroup_procs={procs}");
        }

        try
        {
            var process = Process.Start(start) ?? throw new InvalidOperationException("The task's executor did not start");
            return new StandbyExecutor(name, process, TaskCheckpoint.StartTimeOf(process.Id), cgroup, stage);
        }
        catch
        {
            cgroup?.TryDestroy();
            stage?.Discard();
            throw;
        }
    }

    /// <summary>Hands the executor its task: the environment the task gets and the executor's flags, in the
    /// NUL-terminated form <c>mesos-executor --standby</c> reads, then closes its standard input. Throws
    /// <see cref="IOException"/> when the executor is gone (its pipe is broken).</summary>
    public void Send(IReadOnlyList<string> environment, IReadOnlyList<string> arguments)
    {
        var message = new StringBuilder();
        message.Append(environment.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var item in environment.Concat(arguments))
        {
            if (item.Contains('\0', StringComparison.Ordinal))
            {
                throw new InvalidOperationException("A task's command, arguments and environment cannot contain NUL characters");
            }

            message.Append('\0').Append(item);
        }

        // The final NUL marks the message complete (the executor refuses one cut short).
        message.Append('\0');

        var input = Process.StandardInput.BaseStream;
        input.Write(Encoding.UTF8.GetBytes(message.ToString()));
        input.Flush();
        Process.StandardInput.Close();
    }

    /// <summary>Lets an unused standby go: its standard input ends with no task, and it leaves and removes its
    /// cgroup and exits. One that died meanwhile left its cgroup behind, which goes here.</summary>
    public void Dispose()
    {
        try
        {
            Process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        if (Process.HasExited)
        {
            Cgroup?.TryDestroy();
        }

        Stage?.Discard();
        Process.Dispose();
    }
}
