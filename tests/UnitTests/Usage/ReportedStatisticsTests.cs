using System.Text.Json.Nodes;
using Mesos.Orleans.AgentHost.Usage;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Usage;

/// <summary>A usage report carries the compact part of each task's sample; the rest stays on the agent.</summary>
public sealed class ReportedStatisticsTests
{
    [Fact]
    public void A_report_keeps_the_figures_the_master_shows_and_leaves_the_breakdown_on_the_agent()
    {
        var sample = new ResourceStatistics
        {
            Timestamp = 10, Processes = 3, Threads = 12, CpusUserTimeSecs = 1.5, CpusSystemTimeSecs = 0.5, CpusLimit = 1,
            CpusNrPeriods = 100, CpusNrThrottled = 7, CpusThrottledTimeSecs = 0.25, MemTotalBytes = 300, MemLimitBytes = 1000,
            MemRssBytes = 200, MemCacheBytes = 50, MemFileBytes = 50, MemAnonBytes = 200, MemMappedFileBytes = 10,
            MemSwapBytes = 0, MemMaxBytes = 400, DiskUsedBytes = 64, DiskLimitBytes = 128,
        };

        var reported = JsonNode.Parse(MesosJson.Serialize(ReportedStatistics.Of(sample)))!.AsObject();

        Assert.Equal(
            ["cpus_limit", "cpus_nr_throttled", "cpus_system_time_secs", "cpus_throttled_time_secs", "cpus_user_time_secs", "disk_used_bytes",
             "mem_limit_bytes", "mem_max_bytes", "mem_rss_bytes", "mem_total_bytes", "processes", "timestamp"],
            reported.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(200UL, reported["mem_rss_bytes"]!.GetValue<ulong>());
        Assert.Equal(7U, reported["cpus_nr_throttled"]!.GetValue<uint>());
        Assert.Equal(400UL, reported["mem_max_bytes"]!.GetValue<ulong>());
    }
}
