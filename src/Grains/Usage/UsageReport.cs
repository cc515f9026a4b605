using System.Text.Json;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Usage;

/// <summary>A USAGE call as the master takes it in: only what it computes with is parsed; each task's full
/// <see cref="ResourceStatistics"/> is kept as the JSON the agent sent and parsed only when an operator asks
/// for it (GET_TASKS, /master/state), which is rare next to thousands of reports a second.</summary>
public sealed record UsageReport(AgentId? AgentId, bool HasUsage, double? Timestamp, HostUsage? Host, List<ReportedTaskUsage> Tasks)
{
    /// <summary>A call read whole (the one-POST path): its statistics are serialized back for keeping.</summary>
    public static UsageReport From(AgentCall call) => new(
        call.AgentId,
        call.Usage is not null,
        call.Usage?.Timestamp,
        call.Usage?.Host,
        [.. (call.Usage?.Tasks ?? []).Select(t => new ReportedTaskUsage
        {
            FrameworkId = t.FrameworkId,
            ExecutorId = t.ExecutorId,
            TaskId = t.TaskId,
            CpusUsed = t.CpusUsed,
            MemRssBytes = t.Statistics?.MemRssBytes,
            MemTotalBytes = t.Statistics?.MemTotalBytes,
            StatisticsJson = t.Statistics is { } s ? MesosJson.SerializeToUtf8(s) : null,
        })]);
}

/// <summary>One task's entry of a usage report: the numbers the master sums, and the statistics as sent.</summary>
public sealed class ReportedTaskUsage
{
    public FrameworkId? FrameworkId { get; set; }

    public ExecutorId? ExecutorId { get; set; }

    public TaskId? TaskId { get; set; }

    public double? CpusUsed { get; set; }

    public ulong? MemRssBytes { get; set; }

    public ulong? MemTotalBytes { get; set; }

    /// <summary>The task's <c>statistics</c> object exactly as the agent sent it (already checked to be JSON).</summary>
    public byte[]? StatisticsJson { get; set; }

    /// <summary>Parses the kept statistics; null when there are none or they do not fit ResourceStatistics.</summary>
    public ResourceStatistics? ParseStatistics()
    {
        if (StatisticsJson is null)
        {
            return null;
        }

        try
        {
            return MesosJson.Deserialize<ResourceStatistics>(StatisticsJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
