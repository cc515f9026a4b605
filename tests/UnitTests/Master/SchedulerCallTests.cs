using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using static Mesos.Orleans.UnitTests.Master.MasterFixture;

namespace Mesos.Orleans.UnitTests.Master;

/// <summary>Scheduler calls beyond launching: reservations, UPDATE_FRAMEWORK, MESSAGE, SHUTDOWN, operations.</summary>
public sealed class SchedulerCallTests
{
    [Fact]
    public async Task A_framework_reserves_offered_resources_and_launches_on_them_in_one_accept()
    {
        await using var fixture = await StartAsync();
        var (agentId, agentStream) = await fixture.AddAgentAsync("cpus:4;mem:4096");
        var (frameworkId, stream) = await fixture.AddFrameworkAsync(new FrameworkInfo { User = "u", Name = "eng", Role = "eng", Principal = "ops" });
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        var reserved = ResourceBag.Parse("cpus:2;mem:1024").PushReservation(ResourceReservation.Dynamic("eng", "ops"));
        var launch = MasterCoreTestsAccess.Launch(offer, "on-reserved");
        launch.Accept!.Operations![0].Launch!.TaskInfos![0].Resources = reserved.Subtract(
            ResourceBag.Parse("cpus:1;mem:512").PushReservation(ResourceReservation.Dynamic("eng", "ops"))).ToWire(ResourceFormat.PreRefinement);
        launch.Accept.Operations.Insert(0, new OfferOperation
        {
            Type = OperationType.RESERVE,
            Id = new OperationId("reserve-1"),
            Reserve = new ReserveOperation { Resources = reserved.ToWire(ResourceFormat.PreRefinement) },
        });

        await fixture.CallAsync(frameworkId, stream, launch);

        var status = await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE_OPERATION_STATUS);
        Assert.Equal(OperationState.OPERATION_FINISHED, status.UpdateOperationStatus!.Status!.State);
        Assert.Equal(AgentEventType.RUN_TASK, (await NextAsync<AgentEvent>(agentStream)).Type);
        var agent = Assert.Single((await fixture.Master.GetAgentsAsync()).Agents!);
        var total = ResourceBag.FromWire(agent.TotalResources);
        Assert.Equal(FixedPoint.FromInt64(2), total.Reserved("eng").ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(2), total.Unreserved().ScalarOf("cpus"));
        Assert.Equal(agentId, agent.AgentInfo!.Id);
    }

    [Fact]
    public async Task An_operator_reservation_is_offered_only_to_its_role()
    {
        await using var fixture = await StartAsync();
        var (agentId, _) = await fixture.AddAgentAsync("cpus:2;mem:1024");
        var reserved = ResourceBag.Parse("cpus:2;mem:1024").PushReservation(ResourceReservation.Dynamic("db", null));

        var result = await fixture.Master.OperatorReserveAsync(new ReserveResourcesCall { AgentId = agentId, Resources = reserved.ToWire(ResourceFormat.Endpoint) }, reserve: true);
        var (_, other) = await fixture.AddFrameworkAsync(new FrameworkInfo { User = "u", Name = "web", Role = "web" });
        var (_, db) = await fixture.AddFrameworkAsync(new FrameworkInfo { User = "u", Name = "db", Role = "db" });

        Assert.Equal(202, result.StatusCode);
        var offer = (await NextAsync<Event>(db)).Offers!.Offers![0];
        Assert.All(offer.Resources!, r => Assert.Equal("db", r.Role));
        await fixture.Master.GetStateAsync();
        Assert.True(NothingButHeartbeats(other));
    }

    [Fact]
    public async Task Unreserving_more_than_is_reserved_is_refused()
    {
        await using var fixture = await StartAsync();
        var (agentId, _) = await fixture.AddAgentAsync("cpus:2;mem:1024");
        var reserved = ResourceBag.Parse("cpus:2").PushReservation(ResourceReservation.Dynamic("db", null));

        var result = await fixture.Master.OperatorReserveAsync(new ReserveResourcesCall { AgentId = agentId, Resources = reserved.ToWire(ResourceFormat.Endpoint) }, reserve: false);

        Assert.Equal(409, result.StatusCode);
    }

    [Fact]
    public async Task Update_framework_changes_roles_and_rescinds_offers_of_the_role_it_left()
    {
        await using var fixture = await StartAsync();
        await fixture.AddAgentAsync();
        var info = new FrameworkInfo
        {
            User = "u",
            Name = "mover",
            Roles = ["a"],
            Capabilities = [new FrameworkCapability { Type = FrameworkCapabilityType.MULTI_ROLE }],
        };
        var (frameworkId, stream) = await fixture.AddFrameworkAsync(info);
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        info.Id = frameworkId;
        info.Roles = ["b"];

        var result = await fixture.CallAsync(frameworkId, stream, new Call { Type = CallType.UPDATE_FRAMEWORK, UpdateFramework = new UpdateFrameworkCall { FrameworkInfo = info } });

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(offer.Id, (await NextAsync<Event>(stream)).Rescind!.OfferId);
        var again = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        Assert.Equal("b", again.AllocationInfo!.Role);
    }

    [Fact]
    public async Task Update_framework_may_not_change_the_user()
    {
        await using var fixture = await StartAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();

        var result = await fixture.CallAsync(frameworkId, stream, new Call
        {
            Type = CallType.UPDATE_FRAMEWORK,
            UpdateFramework = new UpdateFrameworkCall { FrameworkInfo = new FrameworkInfo { Id = frameworkId, User = "someone-else", Name = "test" } },
        });

        Assert.Equal(400, result.StatusCode);
        Assert.Contains("user", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_reaches_the_agent_and_shutdown_kills_the_command_tasks_executor()
    {
        await using var fixture = await StartAsync();
        var (agentId, agentStream) = await fixture.AddAgentAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        await fixture.CallAsync(frameworkId, stream, MasterCoreTestsAccess.Launch(offer, "t1"));
        await NextAsync<AgentEvent>(agentStream);

        var message = await fixture.CallAsync(frameworkId, stream, new Call
        {
            Type = CallType.MESSAGE,
            Message = new MessageCall { AgentId = agentId, ExecutorId = new ExecutorId("t1"), Data = [1, 2, 3] },
        });
        var shutdown = await fixture.CallAsync(frameworkId, stream, new Call
        {
            Type = CallType.SHUTDOWN,
            Shutdown = new ShutdownCall { AgentId = agentId, ExecutorId = new ExecutorId("t1") },
        });

        Assert.Equal((202, 202), (message.StatusCode, shutdown.StatusCode));
        var forwarded = await NextAsync<AgentEvent>(agentStream);
        Assert.Equal(AgentEventType.FRAMEWORK_MESSAGE, forwarded.Type);
        Assert.Equal([1, 2, 3], forwarded.FrameworkMessage!.Data);
        var kill = await NextAsync<AgentEvent>(agentStream);
        Assert.Equal(("t1", AgentEventType.KILL_TASK), (kill.KillTask!.TaskId!.Value, kill.Type));
    }

    [Fact]
    public async Task An_invalid_task_group_fails_every_task_and_launches_none()
    {
        await using var fixture = await StartAsync();
        var (_, agentStream) = await fixture.AddAgentAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];

        await fixture.CallAsync(frameworkId, stream, Group(offer, executorCommand: "not allowed", ("a", 1), ("b", 1)));

        var first = (await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE)).Update!.Status!;
        var second = (await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE)).Update!.Status!;
        Assert.All([first, second], s => Assert.Equal((TaskState.TASK_ERROR, TaskStatusReason.REASON_TASK_GROUP_INVALID), (s.State!.Value, s.Reason!.Value)));
        await fixture.Master.GetStateAsync();
        Assert.True(NothingButHeartbeats(agentStream));
    }

    [Fact]
    public async Task A_task_group_holds_its_executors_resources_until_its_last_task_ends()
    {
        await using var fixture = await StartAsync();
        var (agentId, agentStream) = await fixture.AddAgentAsync("cpus:4;mem:4096");
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];

        await fixture.CallAsync(frameworkId, stream, Group(offer, executorCommand: null, ("a", 1), ("b", 1)));

        var run = await NextAsync<AgentEvent>(agentStream);
        Assert.Equal(AgentEventType.RUN_TASK_GROUP, run.Type);
        Assert.Equal(2, run.RunTaskGroup!.Tasks!.Count);
        Assert.Equal(2.1, UsedCpus(await fixture.Master.GetAgentsAsync()), 3);

        await Finish(fixture, agentId, frameworkId, agentStream, "a");
        Assert.Equal(1.1, UsedCpus(await fixture.Master.GetAgentsAsync()), 3);
        await Finish(fixture, agentId, frameworkId, agentStream, "b");
        Assert.Equal(0, UsedCpus(await fixture.Master.GetAgentsAsync()), 3);
    }

    private static double UsedCpus(GetAgents agents) =>
        ResourceBag.FromWire(agents.Agents!.Single().AllocatedResources).ScalarOf("cpus").ToDouble()
        - ResourceBag.FromWire(agents.Agents!.Single().OfferedResources).ScalarOf("cpus").ToDouble();

    private static Task<Mesos.Orleans.Grains.Core.CallResult> Finish(MasterFixture fixture, AgentId agent, FrameworkId framework, Mesos.Orleans.Grains.Streams.EventStream agentStream, string task) =>
        fixture.Master.HandleAgentCallAsync(new AgentCall
        {
            Type = AgentCallType.UPDATE,
            AgentId = agent,
            Update = new AgentUpdate
            {
                FrameworkId = framework,
                Status = new TaskStatus { TaskId = new TaskId(task), State = TaskState.TASK_FINISHED, Uuid = Guid.NewGuid().ToByteArray() },
            },
        }, agentStream.StreamId);

    private static Call Group(Offer offer, string? executorCommand, params (string Id, double Cpus)[] tasks) => new()
    {
        Type = CallType.ACCEPT,
        Accept = new AcceptCall
        {
            OfferIds = [offer.Id!],
            Operations =
            [
                new OfferOperation
                {
                    Type = OperationType.LAUNCH_GROUP,
                    LaunchGroup = new LaunchGroupOperation
                    {
                        Executor = new ExecutorInfo
                        {
                            Type = "DEFAULT",
                            ExecutorId = new ExecutorId("exec"),
                            Command = executorCommand is null ? null : new CommandInfo { Value = executorCommand },
                            Resources = ResourceBag.Parse("cpus:0.1;mem:32").ToWire(ResourceFormat.PreRefinement),
                        },
                        TaskGroup = new TaskGroupInfo
                        {
                            Tasks = [.. tasks.Select(t => Client.Calls.CommandTask(offer, t.Id, "true", FormattableString.Invariant($"cpus:{t.Cpus};mem:64")))],
                        },
                    },
                },
            ],
        },
    };

    [Fact]
    public async Task An_executors_message_reaches_its_framework_as_a_MESSAGE_event()
    {
        await using var fixture = await StartAsync();
        var (agentId, agentStream) = await fixture.AddAgentAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();

        var result = await fixture.Master.HandleAgentCallAsync(new AgentCall
        {
            Type = AgentCallType.MESSAGE,
            AgentId = agentId,
            Message = new FrameworkMessage { FrameworkId = frameworkId, ExecutorId = new ExecutorId("e1"), Data = [4, 2] },
        }, agentStream.StreamId);

        Assert.Equal(202, result.StatusCode);
        var message = await NextAsync<Event>(stream, e => e.Type == EventType.MESSAGE);
        Assert.Equal((agentId, "e1"), (message.Message!.AgentId!, message.Message.ExecutorId!.Value));
        Assert.Equal([4, 2], message.Message.Data);
    }

    [Theory]
    [InlineData(null, "must specify 'type'")]
    [InlineData(HealthCheckType.HTTP, "valid 'port'")]
    [InlineData(HealthCheckType.COMMAND, "'command'")]
    public async Task A_task_with_an_incomplete_health_check_gets_TASK_ERROR(HealthCheckType? type, string message)
    {
        await using var fixture = await StartAsync();
        await fixture.AddAgentAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        var launch = MasterCoreTestsAccess.Launch(offer, "checked");
        launch.Accept!.Operations![0].Launch!.TaskInfos![0].HealthCheck = new HealthCheck { Type = type };

        await fixture.CallAsync(frameworkId, stream, launch);

        var error = (await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE)).Update!.Status!;
        Assert.Equal(TaskState.TASK_ERROR, error.State);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconciling_an_unknown_operation_answers_OPERATION_UNKNOWN()
    {
        await using var fixture = await StartAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();

        await fixture.CallAsync(frameworkId, stream, new Call
        {
            Type = CallType.RECONCILE_OPERATIONS,
            ReconcileOperations = new ReconcileOperationsCall { Operations = [new ReconcileOperation { OperationId = new OperationId("never") }] },
        });

        var status = await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE_OPERATION_STATUS);
        Assert.Equal(OperationState.OPERATION_UNKNOWN, status.UpdateOperationStatus!.Status!.State);
    }

    [Theory]
    [InlineData(CallType.SHUTDOWN, "shutdown")]
    [InlineData(CallType.MESSAGE, "message")]
    [InlineData(CallType.UPDATE_FRAMEWORK, "update_framework")]
    [InlineData(CallType.RECONCILE_OPERATIONS, "reconcile_operations")]
    [InlineData(CallType.ACCEPT_INVERSE_OFFERS, "accept_inverse_offers")]
    public async Task A_call_without_its_body_is_a_bad_request_naming_the_field(CallType type, string field)
    {
        await using var fixture = await StartAsync();
        var (frameworkId, stream) = await fixture.AddFrameworkAsync();

        var result = await fixture.CallAsync(frameworkId, stream, new Call { Type = type });

        Assert.Equal(400, result.StatusCode);
        Assert.Equal($"Expecting '{field}' to be present", result.Message);
    }
}
