using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Usage;

/// <summary>An agent's latest usage report as the master keeps it: only entries for tasks the agent runs,
/// so its size is bounded by the agent's tasks whatever the agent sends. Replaced whole by the next report.</summary>
public sealed class AgentUsageRecord(double timestamp, HostUsage? host, IReadOnlyDictionary<(FrameworkId Framework, TaskId Task), ReportedTaskUsage> tasks)
{
    public double Timestamp { get; } = timestamp;

    public HostUsage? Host { get; } = host;

    public IReadOnlyDictionary<(FrameworkId Framework, TaskId Task), ReportedTaskUsage> Tasks { get; } = tasks;

    /// <summary>Memory a task really uses, in MB: its resident anonymous memory (what cannot be reclaimed
    /// without swapping), or everything charged to it when RSS is not reported.</summary>
    public static double MemUsedMegabytes(ReportedTaskUsage usage) =>
        (usage.MemRssBytes ?? usage.MemTotalBytes ?? 0) / (1024.0 * 1024.0);
}
