using Mesos.Orleans.AgentHost.Isolation;

namespace Mesos.Orleans.UnitTests.Usage;

/// <summary>The cgroup readers over fixed file contents laid out as the kernel lays them out.</summary>
public sealed class CgroupStatisticsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cgroup-files-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Cgroups_v1_files_map_onto_mesos_fields()
    {
        var directories = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var controller in new[] { "cpu", "cpuacct", "memory", "pids", "freezer" })
        {
            directories[controller] = Directory.CreateDirectory(Path.Combine(_root, controller, "task")).FullName;
        }

        Write(directories["cpuacct"], "cpuacct.stat", "user 250\nsystem 50\n");
        Write(directories["cpu"], "cpu.stat", "nr_periods 40\nnr_throttled 12\nthrottled_time 1500000000\n");
        Write(directories["cpu"], "cpu.cfs_quota_us", "50000\n");
        Write(directories["cpu"], "cpu.cfs_period_us", "100000\n");
        Write(directories["memory"], "memory.usage_in_bytes", "110000000\n");
        Write(directories["memory"], "memory.max_usage_in_bytes", "120000000\n");
        Write(directories["memory"], "memory.limit_in_bytes", "268435456\n");
        Write(directories["memory"], "memory.stat", "cache 4096\nrss 104857600\nmapped_file 8192\nswap 0\ntotal_cache 4096\ntotal_rss 104857600\ntotal_mapped_file 8192\ntotal_swap 0\n");
        Write(directories["pids"], "pids.current", "3\n");
        Write(directories["freezer"], "cgroup.procs", "101\n102\n");

        var statistics = CgroupsV1Statistics.Read(directories, 1000.5);

        Assert.Equal(1000.5, statistics.Timestamp);
        Assert.Equal(2.5, statistics.CpusUserTimeSecs);
        Assert.Equal(0.5, statistics.CpusSystemTimeSecs);
        Assert.Equal(0.5, statistics.CpusLimit);
        Assert.Equal(40u, statistics.CpusNrPeriods);
        Assert.Equal(12u, statistics.CpusNrThrottled);
        Assert.Equal(1.5, statistics.CpusThrottledTimeSecs);
        Assert.Equal(110_000_000ul, statistics.MemTotalBytes);
        Assert.Equal(120_000_000ul, statistics.MemMaxBytes);
        Assert.Equal(268_435_456ul, statistics.MemLimitBytes);
        Assert.Equal(104_857_600ul, statistics.MemRssBytes);
        Assert.Equal(4096ul, statistics.MemCacheBytes);
        Assert.Equal(8192ul, statistics.MemMappedFileBytes);
        Assert.Equal(3u, statistics.Threads);
        Assert.Equal(2u, statistics.Processes);
    }

    [Fact]
    public void Cgroups_v1_without_limits_or_files_leaves_fields_unset()
    {
        var memory = Directory.CreateDirectory(Path.Combine(_root, "memory", "task")).FullName;
        Write(memory, "memory.limit_in_bytes", "9223372036854771712\n");
        var cpu = Directory.CreateDirectory(Path.Combine(_root, "cpu", "task")).FullName;
        Write(cpu, "cpu.cfs_quota_us", "-1\n");
        Write(cpu, "cpu.cfs_period_us", "100000\n");

        var statistics = CgroupsV1Statistics.Read(new Dictionary<string, string> { ["memory"] = memory, ["cpu"] = cpu }, 1);

        Assert.Null(statistics.MemLimitBytes);
        Assert.Null(statistics.CpusLimit);
        Assert.Null(statistics.CpusUserTimeSecs);
        Assert.Null(statistics.Processes);
    }

    [Fact]
    public void Cgroups_v2_files_map_onto_mesos_fields()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, "unified", "task")).FullName;
        Write(directory, "cpu.stat", "usage_usec 3000000\nuser_usec 2000000\nsystem_usec 1000000\nnr_periods 30\nnr_throttled 10\nthrottled_usec 2500000\n");
        Write(directory, "cpu.max", "50000 100000\n");
        Write(directory, "memory.current", "110000000\n");
        Write(directory, "memory.max", "max\n");
        Write(directory, "memory.peak", "130000000\n");
        Write(directory, "memory.stat", "anon 104857600\nfile 4096\nfile_mapped 8192\n");
        Write(directory, "pids.current", "4\n");
        Write(directory, "cgroup.procs", "7\n8\n9\n");

        var statistics = CgroupsV2Statistics.Read(directory, 5);

        Assert.Equal(2.0, statistics.CpusUserTimeSecs);
        Assert.Equal(1.0, statistics.CpusSystemTimeSecs);
        Assert.Equal(0.5, statistics.CpusLimit);
        Assert.Equal(30u, statistics.CpusNrPeriods);
        Assert.Equal(10u, statistics.CpusNrThrottled);
        Assert.Equal(2.5, statistics.CpusThrottledTimeSecs);
        Assert.Equal(110_000_000ul, statistics.MemTotalBytes);
        Assert.Null(statistics.MemLimitBytes);
        Assert.Equal(130_000_000ul, statistics.MemMaxBytes);
        Assert.Equal(104_857_600ul, statistics.MemRssBytes);
        Assert.Equal(4096ul, statistics.MemFileBytes);
        Assert.Equal(4u, statistics.Threads);
        Assert.Equal(3u, statistics.Processes);
    }

    [Fact]
    public void Cgroups_v2_without_a_cpu_quota_has_no_cpu_limit()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, "unified", "free")).FullName;
        Write(directory, "cpu.max", "max 100000\n");

        Assert.Null(CgroupsV2Statistics.Read(directory, 5).CpusLimit);
    }

    private static void Write(string directory, string file, string content) => File.WriteAllText(Path.Combine(directory, file), content);
}
