using System.Buffers;
using System.Globalization;
using System.Text;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Streams;
using Mesos.Orleans.Grains.Usage;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.UnitTests.Master;

namespace Mesos.Orleans.UnitTests.Usage;

/// <summary>How the master takes in a usage stream's reports: matched to the agent's live tasks (in place
/// when they come in the same order, by lookup when not), each replacing the last, the replaced one given back
/// to the stream to be filled again, and what is kept bounded by the agent's tasks whatever it sends.</summary>
public sealed class MasterUsageTests
{
    private const string Framework = "f1";

    [Fact]
    public async Task Each_report_replaces_the_last_and_the_replaced_one_is_filled_again_with_the_next()
    {
        await using var fixture = await MasterFixture.StartAsync();
        var (agent, stream) = await SubscribeWithTasksAsync(fixture, "t0", "t1");
        var usage = new UsageStreamState();

        var first = await ApplyAsync(fixture, usage, stream, Report(agent, ("t0", 0.5), ("t1", 0.25)));
        Assert.Equal(0.75, (await AgentUtilizationAsync(fixture)).Cpus!.Used);

        var second = await ApplyAsync(fixture, usage, stream, Report(agent, ("t0", 1.0), ("t1", 0.5)));

        Assert.Equal(1.5, (await AgentUtilizationAsync(fixture)).Cpus!.Used);
        Assert.NotSame(first, second);
        Assert.Same(first, usage.TakeReport());
    }

    [Fact]
    public async Task Entries_about_unknown_tasks_or_about_a_task_twice_count_nothing_in_whatever_order()
    {
        await using var fixture = await MasterFixture.StartAsync();
        var (agent, stream) = await SubscribeWithTasksAsync(fixture, "t0", "t1");
        var usage = new UsageStreamState();
        await ApplyAsync(fixture, usage, stream, Report(agent, ("t0", 0.5), ("t1", 0.25)));

        await ApplyAsync(fixture, usage, stream, Report(agent, ("t1", 0.125), ("ghost", 4), ("t0", 1), ("t1", 2)));

        var used = await AgentUtilizationAsync(fixture);
        Assert.Equal(1.125, used.Cpus!.Used);
        Assert.Equal(2 * 100, used.Mem!.Used);
    }

    [Fact]
    public async Task A_report_mostly_about_no_task_is_kept_at_the_size_of_the_agents_tasks()
    {
        await using var fixture = await MasterFixture.StartAsync();
        var (agent, stream) = await SubscribeWithTasksAsync(fixture, "t0");
        var usage = new UsageStreamState();
        var entries = Enumerable.Range(0, 1500).Select(i => ($"ghost-{i}", 1.0)).Append(("t0", 0.5)).ToArray();
        var record = Report(agent, entries);

        var kept = await ApplyAsync(fixture, usage, stream, record);

        Assert.Equal(0.5, (await AgentUtilizationAsync(fixture)).Cpus!.Used);
        Assert.Equal(1, kept.TaskCount);
        Assert.True(kept.Length < 1024, $"{kept.Length} bytes kept of a {record.Length}-byte report");
        Assert.Equal(100UL << 20, kept.StatisticsAt(0)?.MemRssBytes);
    }

    [Fact]
    public async Task A_report_on_another_agents_stream_is_refused_and_its_report_given_back()
    {
        await using var fixture = await MasterFixture.StartAsync();
        var (agent, _) = await SubscribeWithTasksAsync(fixture, "t0");
        var (_, otherStream) = await SubscribeWithTasksAsync(fixture, "t9", host: "agent-2");
        var usage = new UsageStreamState();

        var refused = await ApplyAsync(fixture, usage, otherStream, Report(agent, ("t0", 0.5)));

        Assert.Equal(400, usage.Refusal?.StatusCode);
        Assert.Same(refused, usage.TakeReport());
        Assert.Equal(0, (await AgentUtilizationAsync(fixture)).Cpus!.Used);
    }

    private static async Task<(AgentId Agent, EventStream Stream)> SubscribeWithTasksAsync(MasterFixture fixture, string firstTask, string? secondTask = null, string host = "agent-1")
    {
        var subscription = await fixture.Master.SubscribeAgentAsync(new AgentCall
        {
            Type = AgentCallType.SUBSCRIBE,
            Subscribe = new AgentSubscribe
            {
                AgentInfo = new AgentInfo { Hostname = host, Resources = ResourceBag.Parse("cpus:8;mem:8192").ToWire(ResourceFormat.Endpoint) },
                AgentUrl = new Url { Scheme = "http", Address = new Address { Hostname = host, Ip = "127.0.0.1", Port = 5051 } },
                Tasks = [.. new[] { firstTask, secondTask }.OfType<string>().Select(id => new AgentTask
                {
                    FrameworkId = new FrameworkId(Framework),
                    State = TaskState.TASK_RUNNING,
                    Task = new TaskInfo { Name = id, TaskId = new TaskId(id), AgentId = new AgentId(host), Resources = ResourceBag.Parse("cpus:1;mem:256").ToWire(ResourceFormat.Endpoint) },
                })],
            },
        });
        Assert.Null(subscription.Error);
        return (subscription.AgentId!, subscription.Stream!);
    }

    /// <summary>A report's record as the agent sends it: each task with its cpus and 100 MB resident.</summary>
    private static byte[] Report(AgentId agent, params (string Task, double Cpus)[] tasks)
    {
        var entries = tasks.Select(t => string.Create(CultureInfo.InvariantCulture,
            $$$"""{"framework_id":{"value":"{{{Framework}}}"},"task_id":{"value":"{{{t.Task}}}"},"cpus_used":{{{t.Cpus}}},"statistics":{"timestamp":1,"mem_rss_bytes":{{{100 << 20}}}}}"""));
        return Encoding.UTF8.GetBytes($$$"""{"type":"USAGE","agent_id":{"value":"{{{agent.Value}}}"},"usage":{"timestamp":1,"tasks":[{{{string.Join(',', entries)}}}]}}""");
    }

    /// <summary>Reads the record as the usage receiver does (into the stream's spare report), queues it, and
    /// lets the master's flush apply it.</summary>
    private static async Task<UsageReport> ApplyAsync(MasterFixture fixture, UsageStreamState usage, EventStream stream, byte[] record)
    {
        var report = usage.TakeReport();
        Assert.True(UsageReportReader.TryLoad(report, new ReadOnlySequence<byte>(record)));
        Assert.True(fixture.Master.TryAdmitUsageReport(record.Length));
        fixture.Master.QueueUsageReport(report, stream.StreamId, record.Length, usage);
        fixture.Time.Advance(MasterCore.UsageFlushInterval);
        await fixture.Master.GetUtilizationAsync();
        return report;
    }

    private static async Task<UtilizationEntry> AgentUtilizationAsync(MasterFixture fixture) =>
        Assert.Single((await fixture.Master.GetUtilizationAsync()).Agents!, a => a.Hostname == "agent-1").Resources!;
}
