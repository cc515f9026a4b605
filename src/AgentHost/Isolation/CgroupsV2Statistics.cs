using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Isolation;

/// <summary>A task's usage from its cgroups v2 directory, mapped onto Mesos's ResourceStatistics fields.</summary>
public static class CgroupsV2Statistics
{
    public static ResourceStatistics Read(string directory, double timestamp)
    {
        string? File(string name) => CgroupFiles.Read(Path.Combine(directory, name));

        var statistics = new ResourceStatistics { Timestamp = timestamp };
        var cpu = CgroupFiles.KeyValues(File("cpu.stat"));
        statistics.CpusUserTimeSecs = cpu.TryGetValue("user_usec", out var user) ? user / 1e6 : null;
        statistics.CpusSystemTimeSecs = cpu.TryGetValue("system_usec", out var system) ? system / 1e6 : null;
        statistics.CpusNrPeriods = cpu.TryGetValue("nr_periods", out var periods) ? (uint)periods : null;
        statistics.CpusNrThrottled = cpu.TryGetValue("nr_throttled", out var throttled) ? (uint)throttled : null;
        statistics.CpusThrottledTimeSecs = cpu.TryGetValue("throttled_usec", out var throttledUs) ? throttledUs / 1e6 : null;

        // cpu.max: "<quota> <period>", or "max <period>" without a limit.
        var max = File("cpu.max")?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (max is [var quotaText, var periodText] && CgroupFiles.Number(quotaText) is { } quota and > 0 && CgroupFiles.Number(periodText) is { } period and > 0)
        {
            statistics.CpusLimit = (double)quota / period;
        }

        statistics.MemTotalBytes = (ulong?)CgroupFiles.Number(File("memory.current"));
        statistics.MemLimitBytes = (ulong?)CgroupFiles.Number(File("memory.max"));
        statistics.MemMaxBytes = (ulong?)CgroupFiles.Number(File("memory.peak"));
        statistics.MemSwapBytes = (ulong?)CgroupFiles.Number(File("memory.swap.current"));
        var memory = CgroupFiles.KeyValues(File("memory.stat"));
        ulong? Stat(string name) => memory.TryGetValue(name, out var value) ? (ulong)value : null;
        statistics.MemRssBytes = Stat("anon");
        statistics.MemAnonBytes = Stat("anon");
        statistics.MemFileBytes = Stat("file");
        statistics.MemCacheBytes = Stat("file");
        statistics.MemMappedFileBytes = Stat("file_mapped");

        statistics.Threads = (uint?)CgroupFiles.Number(File("pids.current"));
        statistics.Processes = File("cgroup.procs") is { } procs ? CgroupFiles.Lines(procs) : null;
        return statistics;
    }
}
