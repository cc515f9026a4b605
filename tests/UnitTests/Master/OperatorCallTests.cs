using Mesos.Orleans.Client;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using static Mesos.Orleans.UnitTests.Master.MasterFixture;

namespace Mesos.Orleans.UnitTests.Master;

/// <summary>The operator API's mutations on the master core: weights, quota, teardown, agent lifecycle.</summary>
public sealed class OperatorCallTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public async Task Update_weights_refuses_weights_that_are_not_positive_numbers(double weight)
    {
        await using var fixture = await StartAsync();

        var result = await fixture.Master.UpdateWeightsAsync(new UpdateWeightsCall { WeightInfos = [new WeightInfo { Role = "r", Weight = weight }] });

        Assert.Equal(400, result.StatusCode);
        Assert.Empty((await fixture.Master.GetWeightsAsync()).WeightInfos!);
    }

    [Fact]
    public async Task Update_weights_is_visible_in_get_weights_and_get_roles()
    {
        await using var fixture = await StartAsync();

        var result = await fixture.Master.UpdateWeightsAsync(new UpdateWeightsCall { WeightInfos = [new WeightInfo { Role = "eng", Weight = 2.5 }] });

        Assert.Equal(200, result.StatusCode);
        var weight = Assert.Single((await fixture.Master.GetWeightsAsync()).WeightInfos!);
        Assert.Equal(("eng", 2.5), (weight.Role, weight.Weight!.Value));
        Assert.Contains((await fixture.Master.GetRolesAsync()).Roles!, r => r.Name == "eng" && r.Weight == 2.5);
    }

    [Fact]
    public async Task Update_quota_refuses_a_guarantee_above_its_limit_and_an_overcommit_without_force()
    {
        await using var fixture = await StartAsync();
        await fixture.AddAgentAsync("cpus:4;mem:4096");

        var aboveLimit = await fixture.Master.UpdateQuotaAsync(Quota("q", guarantee: ("cpus", 3), limit: ("cpus", 2)));
        var overcommit = await fixture.Master.UpdateQuotaAsync(Quota("q", guarantee: ("cpus", 8), limit: null));
        var forced = await fixture.Master.UpdateQuotaAsync(new UpdateQuotaCall { Force = true, QuotaConfigs = Quota("q", ("cpus", 8), null).QuotaConfigs });

        Assert.Equal(400, aboveLimit.StatusCode);
        Assert.Equal(409, overcommit.StatusCode);
        Assert.Equal(200, forced.StatusCode);
        var config = Assert.Single((await fixture.Master.GetQuotaAsync()).Status!.Configs!);
        Assert.Equal(8, config.Guarantees!["cpus"].Value);
    }

    [Fact]
    public async Task Teardown_removes_the_framework_and_an_unknown_one_is_a_bad_request()
    {
        await using var fixture = await StartAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();

        Assert.Equal(400, (await fixture.Master.TeardownAsync(new FrameworkId("nope"))).StatusCode);
        Assert.Equal(200, (await fixture.Master.TeardownAsync(frameworkId)).StatusCode);

        var frameworks = await fixture.Master.GetFrameworksAsync();
        Assert.Empty(frameworks.Frameworks!);
        Assert.Equal(frameworkId, Assert.Single(frameworks.CompletedFrameworks!).FrameworkInfo!.Id);
        Assert.True(stream.IsClosed);
    }

    [Fact]
    public async Task A_deactivated_agent_is_offered_to_nobody_until_reactivated()
    {
        await using var fixture = await StartAsync();
        var (agentId, _) = await fixture.AddAgentAsync();
        var (_, stream) = await fixture.AddFrameworkAsync();
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];

        Assert.Equal(200, (await fixture.Master.DeactivateAgentAsync(agentId)).StatusCode);

        var rescind = await NextAsync<Event>(stream);
        Assert.Equal(offer.Id, rescind.Rescind!.OfferId);
        Assert.False((await fixture.Master.GetAgentsAsync()).Agents!.Single().Active);
        Assert.Equal(400, (await fixture.Master.ReactivateAgentAsync(new AgentId("nope"))).StatusCode);

        Assert.Equal(200, (await fixture.Master.ReactivateAgentAsync(agentId)).StatusCode);
        Assert.Equal(EventType.OFFERS, (await NextAsync<Event>(stream)).Type);
        Assert.Equal(400, (await fixture.Master.ReactivateAgentAsync(agentId)).StatusCode);
    }

    [Fact]
    public async Task Draining_kills_the_agents_tasks_within_the_grace_period_and_ends_drained()
    {
        await using var fixture = await StartAsync();
        var (agentId, agentStream) = await fixture.AddAgentAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        await fixture.CallAsync(frameworkId, stream, MasterCoreTestsAccess.Launch(offer, "t1"));
        await NextAsync<AgentEvent>(agentStream);

        var result = await fixture.Master.DrainAgentAsync(new DrainAgentCall { AgentId = agentId, MaxGracePeriod = new ProtoDuration { Seconds = 7 } });

        Assert.Equal(200, result.StatusCode);
        var kill = await NextAsync<AgentEvent>(agentStream);
        Assert.Equal(AgentEventType.KILL_TASK, kill.Type);
        Assert.Equal(7_000_000_000, kill.KillTask!.KillPolicy!.GracePeriod!.Nanoseconds);
        Assert.Equal(DrainState.DRAINING, (await fixture.Master.GetAgentsAsync()).Agents!.Single().DrainInfo!.State);

        await fixture.Master.HandleAgentCallAsync(Update(agentId, frameworkId, "t1", TaskState.TASK_KILLED), agentStream.StreamId);

        Assert.Equal(DrainState.DRAINED, (await fixture.Master.GetAgentsAsync()).Agents!.Single().DrainInfo!.State);
        Assert.Equal(400, (await fixture.Master.ReactivateAgentAsync(new AgentId("nope"))).StatusCode);
        Assert.Equal(200, (await fixture.Master.ReactivateAgentAsync(agentId)).StatusCode);
    }

    [Fact]
    public async Task Marking_an_agent_gone_ends_its_tasks_for_the_framework_and_refuses_the_agent_after()
    {
        await using var fixture = await StartAsync();
        var (agentId, agentStream) = await fixture.AddAgentAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync(new FrameworkInfo
        {
            User = "u",
            Name = "aware",
            Capabilities = [new FrameworkCapability { Type = FrameworkCapabilityType.PARTITION_AWARE }],
        });
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        await fixture.CallAsync(frameworkId, stream, MasterCoreTestsAccess.Launch(offer, "t1"));

        Assert.Equal(404, (await fixture.Master.MarkAgentGoneAsync(new AgentId("nope"))).StatusCode);
        Assert.Equal(200, (await fixture.Master.MarkAgentGoneAsync(agentId)).StatusCode);
        Assert.Equal(200, (await fixture.Master.MarkAgentGoneAsync(agentId)).StatusCode);

        var update = await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE);
        Assert.Equal(TaskState.TASK_GONE_BY_OPERATOR, update.Update!.Status!.State);
        Assert.Equal(TaskStatusReason.REASON_AGENT_REMOVED_BY_OPERATOR, update.Update.Status.Reason);
        Assert.Empty((await fixture.Master.GetAgentsAsync()).Agents!);
        Assert.True(agentStream.IsClosed);

        var again = await fixture.Master.SubscribeAgentAsync(new AgentCall
        {
            Type = AgentCallType.SUBSCRIBE,
            AgentId = agentId,
            Subscribe = new AgentSubscribe
            {
                AgentInfo = new AgentInfo { Hostname = "agent-1" },
                AgentUrl = new Url { Address = new Address { Ip = "127.0.0.1", Port = 5051 } },
            },
        });
        Assert.Equal(403, again.Error!.StatusCode);
    }

    [Fact]
    public async Task An_agent_away_past_the_unreachable_timeout_is_unreachable_and_its_tasks_are_lost_to_frameworks_not_partition_aware()
    {
        await using var fixture = await StartAsync(new MasterOptions { AgentUnreachableTimeout = TimeSpan.FromSeconds(75) });
        var (agentId, agentStream) = await fixture.AddAgentAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        await fixture.CallAsync(frameworkId, stream, MasterCoreTestsAccess.Launch(offer, "t1"));

        fixture.Master.AgentStreamEnded(agentId, agentStream.StreamId);
        await fixture.Master.GetStateAsync();
        fixture.Time.Advance(TimeSpan.FromSeconds(74));
        await fixture.Master.GetStateAsync();
        Assert.True(NothingButHeartbeats(stream));

        fixture.Time.Advance(TimeSpan.FromSeconds(2));

        var lost = await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE);
        Assert.Equal(TaskState.TASK_LOST, lost.Update!.Status!.State);
        Assert.Equal(TaskStatusReason.REASON_AGENT_DISCONNECTED, lost.Update.Status.Reason);
        Assert.Null(lost.Update.Status.Uuid);
    }

    [Fact]
    public async Task When_an_unreachable_agent_returns_the_tasks_a_framework_was_told_were_lost_are_killed()
    {
        await using var fixture = await StartAsync(new MasterOptions { AgentUnreachableTimeout = TimeSpan.FromSeconds(75) });
        var (agentId, agentStream) = await fixture.AddAgentAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        await fixture.CallAsync(frameworkId, stream, MasterCoreTestsAccess.Launch(offer, "t1"));
        var run = await NextAsync<AgentEvent>(agentStream);
        fixture.Master.AgentStreamEnded(agentId, agentStream.StreamId);
        await fixture.Master.GetStateAsync();
        fixture.Time.Advance(TimeSpan.FromSeconds(76));
        Assert.Equal(TaskState.TASK_LOST, (await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE)).Update!.Status!.State);
        var failure = await NextAsync<Event>(stream, e => e.Type == EventType.FAILURE);
        Assert.Equal(agentId, failure.Failure!.AgentId);

        var back = await fixture.Master.SubscribeAgentAsync(new AgentCall
        {
            Type = AgentCallType.SUBSCRIBE,
            AgentId = agentId,
            Subscribe = new AgentSubscribe
            {
                AgentInfo = new AgentInfo { Hostname = "agent-1", Resources = Interfaces.Resources.ResourceBag.Parse("cpus:4;mem:4096;ports:[31000-31010]").ToWire(Interfaces.Resources.ResourceFormat.Endpoint) },
                AgentUrl = new Url { Address = new Address { Ip = "127.0.0.1", Port = 5051 } },
                Tasks = [new AgentTask { FrameworkId = frameworkId, Task = run.RunTask!.Task, State = TaskState.TASK_RUNNING }],
            },
        });

        Assert.Equal(AgentEventType.SUBSCRIBED, (await ReadAsync<AgentEvent>(back.Stream!)).Type);
        var kill = await NextAsync<AgentEvent>(back.Stream!);
        Assert.Equal((AgentEventType.KILL_TASK, "t1"), (kill.Type, kill.KillTask!.TaskId!.Value));
        Assert.Empty((await fixture.Master.GetTasksAsync()).Tasks!);
    }

    [Fact]
    public async Task The_operator_stream_starts_with_the_whole_state_and_then_reports_changes()
    {
        await using var fixture = await StartAsync();
        await fixture.AddAgentAsync();
        var operatorStream = await fixture.Master.SubscribeOperatorAsync();

        var subscribed = await ReadAsync<OperatorEvent>(operatorStream);
        Assert.Equal(OperatorEventType.SUBSCRIBED, subscribed.Type);
        Assert.Single(subscribed.Subscribed!.GetState!.GetAgents!.Agents!);
        Assert.Equal(OperatorEventType.HEARTBEAT, (await ReadAsync<OperatorEvent>(operatorStream)).Type);

        var (frameworkId, stream) = await fixture.AddFrameworkAsync();
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        await fixture.CallAsync(frameworkId, stream, MasterCoreTestsAccess.Launch(offer, "t1"));

        Assert.Equal(OperatorEventType.FRAMEWORK_ADDED, (await NextAsync<OperatorEvent>(operatorStream)).Type);
        var added = await NextAsync<OperatorEvent>(operatorStream);
        Assert.Equal(OperatorEventType.TASK_ADDED, added.Type);
        Assert.Equal(TaskState.TASK_STAGING, added.TaskAdded!.Task!.State);
    }

    private static UpdateQuotaCall Quota(string role, (string Name, double Value)? guarantee, (string Name, double Value)? limit) => new()
    {
        QuotaConfigs =
        [
            new QuotaConfig
            {
                Role = role,
                Guarantees = guarantee is { } g ? new() { [g.Name] = new QuotaValue { Value = g.Value } } : null,
                Limits = limit is { } l ? new() { [l.Name] = new QuotaValue { Value = l.Value } } : null,
            },
        ],
    };

    private static AgentCall Update(AgentId agent, FrameworkId framework, string task, TaskState state) => new()
    {
        Type = AgentCallType.UPDATE,
        AgentId = agent,
        Update = new AgentUpdate
        {
            FrameworkId = framework,
            Status = new TaskStatus { TaskId = new TaskId(task), State = state, Uuid = Guid.NewGuid().ToByteArray(), Source = TaskStatusSource.SOURCE_EXECUTOR },
        },
    };
}

/// <summary>Call builders shared by the master's tests.</summary>
internal static class MasterCoreTestsAccess
{
    public static Call Launch(Offer offer, string taskId, double cpus = 1, double mem = 64) =>
        Calls.Launch(offer, Calls.CommandTask(offer, taskId, "true", FormattableString.Invariant($"cpus:{cpus};mem:{mem}")));
}
