using System.Buffers;
using System.Text;
using Mesos.Orleans.Grains.Usage;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Usage;

/// <summary>The master's reader of usage-stream records takes what the general JSON reader would, keeps
/// each task's statistics intact for GET_TASKS, and refuses figures no sum should take.</summary>
public sealed class UsageReportReaderTests
{
    [Fact]
    public void A_usage_call_is_read_with_its_numbers_and_its_statistics_kept_whole()
    {
        var statistics = new ResourceStatistics { Timestamp = 12.5, MemRssBytes = 100, MemTotalBytes = 200, CpusUserTimeSecs = 3.25, CpusNrThrottled = 7 };
        var call = new AgentCall
        {
            Type = AgentCallType.USAGE,
            AgentId = new AgentId("a1"),
            Usage = new AgentUsage
            {
                Timestamp = 42,
                Host = new HostUsage { CpusTotal = 2, CpusUsed = 0.5, MemTotalBytes = 1000, MemUsedBytes = 400 },
                Tasks = [new TaskUsage { FrameworkId = new FrameworkId("f1"), ExecutorId = new ExecutorId("e1"), TaskId = new TaskId("t1"), CpusUsed = 0.25, Statistics = statistics }],
            },
        };

        var report = Load(MesosJson.SerializeToUtf8(call));

        Assert.NotNull(report);
        Assert.Equal("a1", report.TextOf(report.AgentId));
        Assert.True(report.HasUsage);
        Assert.Equal(42, report.Timestamp);
        Assert.Equal((2.0, 0.5, 1000UL, 400UL), (report.Host!.CpusTotal, report.Host.CpusUsed, report.Host.MemTotalBytes, report.Host.MemUsedBytes));
        var task = Assert.Single(report.Tasks.ToArray());
        Assert.Equal(("f1", "t1"), (report.TextOf(task.FrameworkId), report.TextOf(task.TaskId)));
        Assert.Equal(0.25, task.CpusUsed);
        Assert.Equal((100UL, 200UL), (task.MemRssBytes, task.MemTotalBytes));
        Assert.Equal(MesosJson.Serialize(statistics), MesosJson.Serialize(report.StatisticsAt(0)!));
    }

    [Fact]
    public void Numbers_as_strings_unknown_keys_and_nulls_are_taken_as_by_the_general_reader()
    {
        const string json = """{"type":"USAGE","extra":{"x":[1,2]},"agent_id":{"value":"a1"},"usage":{"timestamp":"5","host":null,"tasks":[{"task_id":{"value":"t1"},"cpus_used":"0.5","statistics":{"mem_rss_bytes":"9","timestamp":1}}]}}""";

        var report = Load(Encoding.UTF8.GetBytes(json));

        Assert.NotNull(report);
        Assert.Equal(5, report.Timestamp);
        Assert.Null(report.Host);
        var task = Assert.Single(report.Tasks.ToArray());
        Assert.False(task.FrameworkId.IsPresent);
        Assert.Equal(0.5, task.CpusUsed);
        Assert.Equal(9UL, task.MemRssBytes);
        Assert.Equal(9UL, report.StatisticsAt(0)?.MemRssBytes);
    }

    [Fact]
    public void Escaped_ids_are_compared_and_decoded_by_their_text()
    {
        const string json = """{"type":"USAGE","agent_id":{"value":"a\u0031"},"usage":{"tasks":{"framework_id":{"value":"f"},"task_id":{"value":"t\"1"}}}}""";

        var report = Load(Encoding.UTF8.GetBytes(json));

        Assert.NotNull(report);
        Assert.True(report.AgentId.Escaped);
        Assert.True(report.TextEquals(report.AgentId, "a1"));
        Assert.False(report.TextEquals(report.AgentId, "a\\u0031"));
        var task = Assert.Single(report.Tasks.ToArray());
        Assert.Equal("t\"1", report.TextOf(task.TaskId));
        Assert.True(report.TextEquals(task.FrameworkId, "f"));
        Assert.False(report.TextEquals(task.FrameworkId, "g"));
    }

    [Fact]
    public void A_report_filled_again_keeps_nothing_of_its_previous_record()
    {
        var report = new UsageReport();
        Assert.True(UsageReportReader.TryLoad(report, Sequence("""{"type":"USAGE","agent_id":{"value":"a1"},"usage":{"timestamp":1,"host":{"cpus_used":1},"tasks":[{"task_id":{"value":"t1"}},{"task_id":{"value":"t2"}}]}}""")));

        Assert.True(UsageReportReader.TryLoad(report, Sequence("""{"type":"USAGE","agent_id":{"value":"a2"},"usage":{"tasks":[{"task_id":{"value":"t3"}}]}}""")));

        Assert.Equal("a2", report.TextOf(report.AgentId));
        Assert.Null(report.Timestamp);
        Assert.Null(report.Host);
        Assert.Equal("t3", report.TextOf(Assert.Single(report.Tasks.ToArray()).TaskId));
    }

    [Theory]
    [InlineData("""{"type":"SUBSCRIBE","agent_id":{"value":"a1"}}""")]
    [InlineData("""{"type":7,"agent_id":{"value":"a1"}}""")]
    [InlineData("""{"type":"USAGE","usage":{"tasks":[{"statistics":{"mem_rss_bytes":1""")]
    [InlineData("""{"type":"USAGE","usage":{"tasks":[{"cpus_used":"lots"}]}}""")]
    [InlineData("""{"type":"USAGE","usage":{"tasks":[{"cpus_used":"NaN"}]}}""")]
    [InlineData("""{"type":"USAGE","usage":{"tasks":[{"cpus_used":-0.5}]}}""")]
    [InlineData("""{"type":"USAGE","usage":{"host":{"cpus_used":"-Infinity"}}}""")]
    [InlineData("""{"type":"USAGE","usage":{"tasks":[{"statistics":{"mem_rss_bytes":-1}}]}}""")]
    [InlineData("""{"type":"USAGE","usage":{}} {"type":"USAGE","usage":{}}""")]
    [InlineData("""{"type":"USAGE","usage":{}},""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""not json""")]
    public void Anything_but_a_well_formed_usage_call_is_refused(string json) =>
        Assert.Null(Load(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void A_task_whose_statistics_exceed_the_bound_makes_the_report_refused()
    {
        var padding = new string('x', UsageReport.MaxStatisticsBytes);
        Assert.Null(Load(Encoding.UTF8.GetBytes($$$"""{"type":"USAGE","usage":{"tasks":[{"statistics":{"note":"{{{padding}}}"}}]}}""")));
        Assert.NotNull(Load(Encoding.UTF8.GetBytes($$$"""{"type":"USAGE","usage":{"tasks":[{"statistics":{"note":"{{{padding[..^100]}}}"}}]}}""")));
    }

    [Fact]
    public void Entries_beyond_the_bound_are_checked_but_not_kept()
    {
        var entries = string.Join(',', Enumerable.Range(0, AgentUsage.MaxTasks + 5).Select(i => $$$"""{"task_id":{"value":"t{{{i}}}"}}"""));
        var report = Load(Encoding.UTF8.GetBytes($$$"""{"type":"USAGE","usage":{"tasks":[{{{entries}}}]}}"""));
        Assert.Equal(AgentUsage.MaxTasks, report?.TaskCount);

        Assert.Null(Load(Encoding.UTF8.GetBytes($$$"""{"type":"USAGE","usage":{"tasks":[{{{entries}}},{"cpus_used":"NaN"}]}}""")));
    }

    private static UsageReport? Load(byte[] json)
    {
        var report = new UsageReport();
        return UsageReportReader.TryLoad(report, new ReadOnlySequence<byte>(json)) ? report : null;
    }

    private static ReadOnlySequence<byte> Sequence(string json) => new(Encoding.UTF8.GetBytes(json));
}
