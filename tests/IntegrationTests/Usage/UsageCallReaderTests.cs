using System.Buffers;
using System.Text;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Silo.Http;

namespace Mesos.Orleans.IntegrationTests.Usage;

/// <summary>The master's reader of usage-stream records takes what the general JSON reader would, and
/// keeps each task's statistics intact for GET_TASKS.</summary>
public sealed class UsageCallReaderTests
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

        var report = UsageCallReader.TryRead(new ReadOnlySequence<byte>(MesosJson.SerializeToUtf8(call)));

        Assert.NotNull(report);
        Assert.Equal("a1", report.AgentId?.Value);
        Assert.True(report.HasUsage);
        Assert.Equal(42, report.Timestamp);
        Assert.Equal(0.5, report.Host?.CpusUsed);
        var task = Assert.Single(report.Tasks);
        Assert.Equal(("f1", "e1", "t1"), (task.FrameworkId?.Value, task.ExecutorId?.Value, task.TaskId?.Value));
        Assert.Equal(0.25, task.CpusUsed);
        Assert.Equal((100UL, 200UL), (task.MemRssBytes, task.MemTotalBytes));
        Assert.Equal(MesosJson.Serialize(statistics), MesosJson.Serialize(task.ParseStatistics()!));
    }

    [Fact]
    public void Numbers_as_strings_unknown_keys_and_nulls_are_taken_as_by_the_general_reader()
    {
        const string json = """{"type":"USAGE","extra":{"x":[1,2]},"agent_id":{"value":"a1"},"usage":{"timestamp":"5","host":null,"tasks":[{"task_id":{"value":"t1"},"cpus_used":"0.5","statistics":{"mem_rss_bytes":"9","timestamp":1}}]}}""";

        var report = UsageCallReader.TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));

        Assert.NotNull(report);
        Assert.Equal(5, report.Timestamp);
        Assert.Null(report.Host);
        var task = Assert.Single(report.Tasks);
        Assert.Equal(0.5, task.CpusUsed);
        Assert.Equal(9UL, task.MemRssBytes);
        Assert.Equal(9UL, task.ParseStatistics()?.MemRssBytes);
    }

    [Theory]
    [InlineData("""{"type":"SUBSCRIBE","agent_id":{"value":"a1"}}""")]
    [InlineData("""{"type":"USAGE","usage":{"tasks":[{"statistics":{"mem_rss_bytes":1""")]
    [InlineData("""{"type":"USAGE","usage":{"tasks":[{"cpus_used":"lots"}]}}""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""not json""")]
    public void Anything_but_a_well_formed_usage_call_is_refused(string json) =>
        Assert.Null(UsageCallReader.TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json))));
}
