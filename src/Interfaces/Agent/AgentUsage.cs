using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Agent;

/// <summary>USAGE: the agent's periodic report of what its tasks and its host really use. Best effort:
/// the master keeps the latest report per agent in memory and may drop reports when it is busy.</summary>
public sealed class AgentUsage
{
    /// <summary>Seconds since the epoch when the agent took the samples.</summary>
    public double? Timestamp { get; set; }

    public HostUsage? Host { get; set; }

    /// <summary>One entry per running task; the agent sends at most <see cref="MaxTasks"/>.</summary>
    public List<TaskUsage>? Tasks { get; set; }

    /// <summary>The most task entries one report carries; the master ignores any beyond the tasks the agent runs.</summary>
    public const int MaxTasks = 2000;
}

/// <summary>The whole host's use, from /proc/stat and /proc/meminfo.</summary>
public sealed class HostUsage
{
    public double? CpusTotal { get; set; }

    /// <summary>CPUs busy on average since the previous sample (all processes, not only tasks).</summary>
    public double? CpusUsed { get; set; }

    public ulong? MemTotalBytes { get; set; }

    /// <summary>MemTotal − MemAvailable.</summary>
    public ulong? MemUsedBytes { get; set; }
}

/// <summary>One task's latest sample.</summary>
public sealed class TaskUsage
{
    public FrameworkId? FrameworkId { get; set; }

    public ExecutorId? ExecutorId { get; set; }

    public TaskId? TaskId { get; set; }

    /// <summary>CPUs used on average between the agent's last two samples (the delta of user and system
    /// time over the delta of the timestamps); absent after the first sample.</summary>
    public double? CpusUsed { get; set; }

    public ResourceStatistics? Statistics { get; set; }
}
