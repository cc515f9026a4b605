using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Waiting;
using static Mesos.Orleans.UnitTests.Master.MasterFixture;

namespace Mesos.Orleans.UnitTests.Master;

/// <summary>The master core as a state machine: a manual clock, an in-memory registry, no network.</summary>
public sealed class MasterCoreTests
{
    [Fact]
    public async Task Subscribe_sends_SUBSCRIBED_then_a_heartbeat_at_once_then_one_per_interval()
    {
        await using var fixture = await StartAsync();
        var subscription = await fixture.Master.SubscribeFrameworkAsync(new Call
        {
            Type = CallType.SUBSCRIBE,
            Subscribe = new SubscribeCall { FrameworkInfo = new FrameworkInfo { User = "u", Name = "n" } },
        });
        var stream = subscription.Stream!;

        var subscribed = await ReadAsync<Event>(stream);
        Assert.Equal(EventType.SUBSCRIBED, subscribed.Type);
        Assert.Equal(5.0, subscribed.Subscribed!.HeartbeatIntervalSeconds);
        Assert.Equal(EventType.HEARTBEAT, (await ReadAsync<Event>(stream)).Type);
        Assert.False(stream.Records.TryRead(out _));

        fixture.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(EventType.HEARTBEAT, (await ReadAsync<Event>(stream)).Type);
    }

    [Fact]
    public async Task An_agents_resources_are_offered_to_a_subscribed_framework()
    {
        await using var fixture = await StartAsync();
        var (agentId, _) = await fixture.AddAgentAsync("cpus:4;mem:4096");
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();

        var offers = await NextAsync<Event>(stream);

        Assert.Equal(EventType.OFFERS, offers.Type);
        var offer = Assert.Single(offers.Offers!.Offers!);
        Assert.Equal(agentId, offer.AgentId);
        Assert.Equal(frameworkId, offer.FrameworkId);
        Assert.Equal("127.0.0.1", offer.Url!.Address!.Ip);
        Assert.Equal(4.0, offer.Resources!.Single(r => r.Name == "cpus").Scalar!.Value);
        Assert.All(offer.Resources!, r => Assert.Equal("*", r.Role));
        Assert.Null(offer.AllocationInfo);
    }

    [Fact]
    public async Task Accept_sends_RUN_TASK_to_the_agent_and_a_status_update_flows_back_with_its_uuid()
    {
        await using var fixture = await StartAsync();
        var (agentId, agentStream) = await fixture.AddAgentAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];

        var result = await fixture.CallAsync(frameworkId, stream, Launch(offer, ("t1", 1, 128)));

        Assert.Equal(202, result.StatusCode);
        var run = await NextAsync<AgentEvent>(agentStream);
        Assert.Equal(AgentEventType.RUN_TASK, run.Type);
        Assert.Equal("t1", run.RunTask!.Task!.TaskId!.Value);

        var uuid = Guid.NewGuid().ToByteArray();
        var update = await fixture.Master.HandleAgentCallAsync(
            new AgentCall
            {
                Type = AgentCallType.UPDATE,
                AgentId = agentId,
                Update = new AgentUpdate
                {
                    FrameworkId = frameworkId,
                    Status = new TaskStatus { TaskId = new TaskId("t1"), State = TaskState.TASK_RUNNING, Uuid = uuid, Source = TaskStatusSource.SOURCE_EXECUTOR },
                },
            },
            agentStream.StreamId);
        Assert.Equal(202, update.StatusCode);

        var forwarded = await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE);
        Assert.Equal(TaskState.TASK_RUNNING, forwarded.Update!.Status!.State);
        Assert.Equal(uuid, forwarded.Update.Status.Uuid);
        Assert.Equal(agentId, forwarded.Update.Status.AgentId);

        await fixture.CallAsync(frameworkId, stream, new Call
        {
            Type = CallType.ACKNOWLEDGE,
            Acknowledge = new AcknowledgeCall { AgentId = agentId, TaskId = new TaskId("t1"), Uuid = uuid },
        });
        var ack = await NextAsync<AgentEvent>(agentStream);
        Assert.Equal(AgentEventType.ACKNOWLEDGE, ack.Type);
        Assert.Equal(uuid, ack.Acknowledge!.Uuid);
    }

    [Fact]
    public async Task A_duplicate_task_id_in_one_accept_gets_TASK_ERROR_from_the_master_without_uuid()
    {
        await using var fixture = await StartAsync();
        var (_, agentStream) = await fixture.AddAgentAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];

        await fixture.CallAsync(frameworkId, stream, Launch(offer, ("same", 1, 64), ("same", 1, 64)));

        var error = (await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE)).Update!.Status!;
        Assert.Equal(TaskState.TASK_ERROR, error.State);
        Assert.Equal(TaskStatusReason.REASON_TASK_INVALID, error.Reason);
        Assert.Equal(TaskStatusSource.SOURCE_MASTER, error.Source);
        Assert.Null(error.Uuid);
        Assert.Contains("duplicate", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(AgentEventType.RUN_TASK, (await NextAsync<AgentEvent>(agentStream)).Type);
    }

    [Fact]
    public async Task A_task_asking_more_than_the_offer_holds_gets_TASK_ERROR()
    {
        await using var fixture = await StartAsync();
        await fixture.AddAgentAsync("cpus:1;mem:256");
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];

        await fixture.CallAsync(frameworkId, stream, Launch(offer, ("big", 2, 64)));

        var error = (await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE)).Update!.Status!;
        Assert.Equal(TaskState.TASK_ERROR, error.State);
        Assert.Contains("more resources", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_offer_answers_each_task_with_TASK_LOST_for_a_framework_that_is_not_partition_aware()
    {
        await using var fixture = await StartAsync();
        var (agentId, _) = await fixture.AddAgentAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();
        await NextAsync<Event>(stream);
        var bogus = new Offer { Id = new OfferId("no-such-offer"), AgentId = agentId };

        await fixture.CallAsync(frameworkId, stream, Launch(bogus, ("t", 1, 64)));

        var lost = (await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE)).Update!.Status!;
        Assert.Equal(TaskState.TASK_LOST, lost.State);
        Assert.Equal(TaskStatusReason.REASON_INVALID_OFFERS, lost.Reason);
    }

    [Fact]
    public async Task Declined_resources_are_not_offered_again_before_the_refusal_ends()
    {
        await using var fixture = await StartAsync();
        await fixture.AddAgentAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];

        await fixture.CallAsync(frameworkId, stream, new Call
        {
            Type = CallType.DECLINE,
            Decline = new DeclineCall { OfferIds = [offer.Id!], Filters = new Filters { RefuseSeconds = 30 } },
        });
        fixture.Time.Advance(TimeSpan.FromSeconds(29));
        await fixture.Master.GetStateAsync(); // lets every queued turn run

        Assert.True(NothingButHeartbeats(stream));

        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        var again = await NextAsync<Event>(stream);
        Assert.Equal(EventType.OFFERS, again.Type);
    }

    [Theory]
    [InlineData(null, 400, "Mesos-Stream-Id")]
    [InlineData("wrong", 400, "didn't match")]
    public async Task Calls_need_the_subscriptions_stream_id(string? streamId, int status, string message)
    {
        await using var fixture = await StartAsync();
        var (frameworkId, _) = await fixture.AddFrameworkAsync();

        var result = await fixture.Master.HandleSchedulerCallAsync(
            new Call { Type = CallType.REVIVE, FrameworkId = frameworkId }, streamId);

        Assert.Equal(status, result.StatusCode);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_for_an_unknown_framework_are_refused()
    {
        await using var fixture = await StartAsync();

        var result = await fixture.Master.HandleSchedulerCallAsync(
            new Call { Type = CallType.REVIVE, FrameworkId = new FrameworkId("nobody") }, "s");

        Assert.Equal(400, result.StatusCode);
        Assert.Equal("Framework cannot be found", result.Message);
    }

    [Fact]
    public async Task A_framework_past_its_failover_timeout_is_removed_and_cannot_come_back()
    {
        await using var fixture = await StartAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync(new FrameworkInfo { User = "u", Name = "n", FailoverTimeout = 10 });

        fixture.Master.FrameworkStreamEnded(frameworkId, stream.StreamId);
        await Eventually.TrueAsync(_ => Task.FromResult(fixture.Deadlines.DeadlineOf(frameworkId) is not null), "the failover deadline armed");
        fixture.Time.Advance(TimeSpan.FromSeconds(11));
        await fixture.Master.GetStateAsync();
        await fixture.Master.GetStateAsync();

        var again = await fixture.Master.SubscribeFrameworkAsync(new Call
        {
            Type = CallType.SUBSCRIBE,
            FrameworkId = frameworkId,
            Subscribe = new SubscribeCall { FrameworkInfo = new FrameworkInfo { User = "u", Name = "n", Id = frameworkId } },
        });
        var error = await ReadAsync<Event>(again.Stream!);
        Assert.Equal(EventType.ERROR, error.Type);
        Assert.Equal("Framework has been removed", error.Error!.Message);
    }

    [Fact]
    public async Task A_framework_that_resubscribes_in_time_keeps_its_id_and_the_old_stream_is_told_it_failed_over()
    {
        await using var fixture = await StartAsync();
        var (frameworkId, first) = await fixture.AddFrameworkAsync(new FrameworkInfo { User = "u", Name = "n", FailoverTimeout = 60 });

        var (againId, _) = await fixture.AddFrameworkAsync(new FrameworkInfo { User = "u", Name = "n", Id = frameworkId });

        Assert.Equal(frameworkId, againId);
        var error = await NextAsync<Event>(first);
        Assert.Equal("Framework failed over", error.Error!.Message);
    }

    private static Call Launch(Offer offer, params (string Id, double Cpus, double Mem)[] tasks) =>
        Calls.Launch(offer, tasks.Select(t => Calls.CommandTask(offer, t.Id, "true", FormattableString.Invariant($"cpus:{t.Cpus};mem:{t.Mem}"))));
}
