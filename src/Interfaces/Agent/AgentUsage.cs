using Mesos.Orleans.Interfaces.V1;
using Orleans;

namespace Mesos.Orleans.Interfaces.Agent;

/// <summary>USAGE: the agent's periodic report of what its tasks and its host really use. Best effort:
/// the master keeps the latest report per agent in memory and may drop reports when it is busy.</summary>
[GenerateSerializer]
public sealed class AgentUsage
{
    /// <summary>Seconds since the epoch when the agent took the samples.</summary>
    [Id(0)]
    public double? Timestamp { get; set; }

    [Id(1)]
    public HostUsage? Host { get; set; }

    /// <summary>One entry per running task; the agent sends at most <see cref="MaxTasks"/>.</summary>
    [Id(2)]
    public List<TaskUsage>? Tasks { get; set; }

    /// <summary>The most task entries one report carries; the master ignores any beyond the tasks the agent runs.</summary>
    public const int MaxTasks = 2000;
}

/// <summary>The whole host's use, from /proc/stat and /proc/meminfo.</summary>
[GenerateSerializer]
public sealed class HostUsage
{
    [Id(0)]
    public double? CpusTotal { get; set; }

    /// <summary>CPUs busy on average since the previous sample (all processes, not only tasks).</summary>
    [Id(1)]
    public double? CpusUsed { get; set; }

    [Id(2)]
    public ulong? MemTotalBytes { get; set; }

    /// <summary>MemTotal − MemAvailable.</summary>
    [Id(3)]
    public ulong? MemUsedBytes { get; set; }
}

/// <summary>One task's latest sample.</summary>
[GenerateSerializer]
public sealed class TaskUsage
{
    [Id(0)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(1)]
    public ExecutorId? ExecutorId { get; set; }

    [Id(2)]
    public TaskId? TaskId { get; set; }

    /// <summary>CPUs used on average between the agent's last two samples (the delta of user and system
    /// time over the delta of the timestamps); absent after the first sample.</summary>
    [Id(3)]
    public double? CpusUsed { get; set; }

    [Id(4)]
    public ResourceStatistics? Statistics { get; set; }
}
