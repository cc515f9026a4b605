using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Usage;

/// <summary>What of a task's sample goes to the master in each usage report: the figures the master and
/// an operator look at — cpu time, limit and throttling, memory used, its peak and limit, processes, disk
/// used. The rest of the sample (memory breakdown, threads, period counts, disk limit) stays on the agent's
/// <c>/monitor/statistics</c>. A compact report is what keeps ten thousand agents cheap for the master: it
/// reads, and keeps until the next report, every byte of every task's statistics.</summary>
public static class ReportedStatistics
{
    public static ResourceStatistics Of(ResourceStatistics sample) => new()
    {
        Timestamp = sample.Timestamp,
        CpusUserTimeSecs = sample.CpusUserTimeSecs,
        CpusSystemTimeSecs = sample.CpusSystemTimeSecs,
        CpusLimit = sample.CpusLimit,
        CpusNrThrottled = sample.CpusNrThrottled,
        CpusThrottledTimeSecs = sample.CpusThrottledTimeSecs,
        MemRssBytes = sample.MemRssBytes,
        MemTotalBytes = sample.MemTotalBytes,
        MemMaxBytes = sample.MemMaxBytes,
        MemLimitBytes = sample.MemLimitBytes,
        Processes = sample.Processes,
        DiskUsedBytes = sample.DiskUsedBytes,
    };
}
