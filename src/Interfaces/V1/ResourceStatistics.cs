namespace Mesos.Orleans.Interfaces.V1;

/// <summary>mesos.v1.ResourceStatistics: a container's usage at one instant, as the agent's
/// /monitor/statistics reports it. CPU times and throttling counters are cumulative since the container
/// started; a consumer computes rates from two samples' deltas over their timestamps' difference.
/// Only the fields this agent measures are here; unset ones are omitted from the JSON.</summary>
public sealed class ResourceStatistics
{
    /// <summary>Seconds since the epoch when the sample was taken (required in Mesos).</summary>
    public double Timestamp { get; set; }

    public uint? Processes { get; set; }

    public uint? Threads { get; set; }

    public double? CpusUserTimeSecs { get; set; }

    public double? CpusSystemTimeSecs { get; set; }

    /// <summary>The CPU quota in cpus (quota / period); the task's cpus resource.</summary>
    public double? CpusLimit { get; set; }

    public uint? CpusNrPeriods { get; set; }

    public uint? CpusNrThrottled { get; set; }

    public double? CpusThrottledTimeSecs { get; set; }

    /// <summary>All memory charged to the cgroup (anonymous and page cache).</summary>
    public ulong? MemTotalBytes { get; set; }

    public ulong? MemLimitBytes { get; set; }

    public ulong? MemRssBytes { get; set; }

    public ulong? MemCacheBytes { get; set; }

    public ulong? MemFileBytes { get; set; }

    public ulong? MemAnonBytes { get; set; }

    public ulong? MemMappedFileBytes { get; set; }

    public ulong? MemSwapBytes { get; set; }

    /// <summary>Not in Mesos's proto (an extra JSON field): the cgroup's peak memory
    /// (memory.max_usage_in_bytes on v1, memory.peak on v2).</summary>
    public ulong? MemMaxBytes { get; set; }

    public ulong? DiskLimitBytes { get; set; }

    public ulong? DiskUsedBytes { get; set; }
}
