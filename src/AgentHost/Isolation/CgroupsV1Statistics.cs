using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Isolation;

/// <summary>A task's usage from its cgroups v1 directories (controller → directory), with the meaning
/// Mesos's cgroups isolators give each field.</summary>
public static class CgroupsV1Statistics
{
    /// <summary>cpuacct.stat counts in USER_HZ, which Linux fixes at 100 per second for user space.</summary>
    public const double UserHz = 100;

    /// <summary>memory.limit_in_bytes of an unlimited cgroup is a page-rounded LONG_MAX; anything this large is no limit.</summary>
    private const long Unlimited = 1L << 62;

    public static ResourceStatistics Read(IReadOnlyDictionary<string, string> directories, double timestamp)
    {
        string? File(string controller, string name) =>
            directories.TryGetValue(controller, out var directory) ? CgroupFiles.Read(Path.Combine(directory, name)) : null;

        var statistics = new ResourceStatistics { Timestamp = timestamp };
        var cpuacct = CgroupFiles.KeyValues(File("cpuacct", "cpuacct.stat"));
        if (cpuacct.TryGetValue("user", out var user))
        {
            statistics.CpusUserTimeSecs = user / UserHz;
        }

        if (cpuacct.TryGetValue("system", out var system))
        {
            statistics.CpusSystemTimeSecs = system / UserHz;
        }

        var cpu = CgroupFiles.KeyValues(File("cpu", "cpu.stat"));
        statistics.CpusNrPeriods = cpu.TryGetValue("nr_periods", out var periods) ? (uint)periods : null;
        statistics.CpusNrThrottled = cpu.TryGetValue("nr_throttled", out var throttled) ? (uint)throttled : null;
        statistics.CpusThrottledTimeSecs = cpu.TryGetValue("throttled_time", out var throttledNs) ? throttledNs / 1e9 : null;
        if (CgroupFiles.Number(File("cpu", "cpu.cfs_quota_us")) is { } quota and > 0 && CgroupFiles.Number(File("cpu", "cpu.cfs_period_us")) is { } period and > 0)
        {
            statistics.CpusLimit = (double)quota / period;
        }

        statistics.MemTotalBytes = (ulong?)CgroupFiles.Number(File("memory", "memory.usage_in_bytes"));
        statistics.MemMaxBytes = (ulong?)CgroupFiles.Number(File("memory", "memory.max_usage_in_bytes"));
        if (CgroupFiles.Number(File("memory", "memory.limit_in_bytes")) is { } limit and < Unlimited)
        {
            statistics.MemLimitBytes = (ulong)limit;
        }

        // A task's cgroup has no children, but total_* also covers any the task might make.
        var memory = CgroupFiles.KeyValues(File("memory", "memory.stat"));
        ulong? Stat(string name) => memory.TryGetValue("total_" + name, out var total) ? (ulong)total : memory.TryGetValue(name, out var own) ? (ulong)own : null;
        statistics.MemRssBytes = Stat("rss");
        statistics.MemAnonBytes = Stat("rss");
        statistics.MemCacheBytes = Stat("cache");
        statistics.MemFileBytes = Stat("cache");
        statistics.MemMappedFileBytes = Stat("mapped_file");
        statistics.MemSwapBytes = Stat("swap");

        statistics.Threads = (uint?)CgroupFiles.Number(File("pids", "pids.current"));
        var procs = File("freezer", "cgroup.procs") ?? File("memory", "cgroup.procs");
        statistics.Processes = procs is null ? null : CgroupFiles.Lines(procs);
        return statistics;
    }
}
