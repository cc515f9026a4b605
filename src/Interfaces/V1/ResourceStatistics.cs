using Orleans;

namespace Mesos.Orleans.Interfaces.V1;

/// <summary>mesos.v1.ResourceStatistics: a container's usage at one instant, as the agent's
/// /monitor/statistics reports it. CPU times and throttling counters are cumulative since the container
/// started; a consumer computes rates from two samples' deltas over their timestamps' difference.
/// Only the fields this agent measures are here; unset ones are omitted from the JSON.</summary>
[GenerateSerializer]
public sealed class ResourceStatistics
{
    /// <summary>Seconds since the epoch when the sample was taken (required in Mesos).</summary>
    [Id(0)]
    public double Timestamp { get; set; }

    [Id(1)]
    public uint? Processes { get; set; }

    [Id(2)]
    public uint? Threads { get; set; }

    [Id(3)]
    public double? CpusUserTimeSecs { get; set; }

    [Id(4)]
    public double? CpusSystemTimeSecs { get; set; }

    /// <summary>The CPU quota in cpus (quota / period); the task's cpus resource.</summary>
    [Id(5)]
    public double? CpusLimit { get; set; }

    [Id(6)]
    public uint? CpusNrPeriods { get; set; }

    [Id(7)]
    public uint? CpusNrThrottled { get; set; }

    [Id(8)]
    public double? CpusThrottledTimeSecs { get; set; }

    /// <summary>All memory charged to the cgroup (anonymous and page cache).</summary>
    [Id(9)]
    public ulong? MemTotalBytes { get; set; }

    [Id(10)]
    public ulong? MemLimitBytes { get; set; }

    [Id(11)]
    public ulong? MemRssBytes { get; set; }

    [Id(12)]
    public ulong? MemCacheBytes { get; set; }

    [Id(13)]
    public ulong? MemFileBytes { get; set; }

    [Id(14)]
    public ulong? MemAnonBytes { get; set; }

    [Id(15)]
    public ulong? MemMappedFileBytes { get; set; }

    [Id(16)]
    public ulong? MemSwapBytes { get; set; }

    /// <summary>Not in Mesos's proto (an extra JSON field): the cgroup's peak memory
    /// (memory.max_usage_in_bytes on v1, memory.peak on v2).</summary>
    [Id(17)]
    public ulong? MemMaxBytes { get; set; }

    [Id(18)]
    public ulong? DiskLimitBytes { get; set; }

    [Id(19)]
    public ulong? DiskUsedBytes { get; set; }
}
