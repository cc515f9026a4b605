using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using static Mesos.Orleans.UnitTests.Master.MasterFixture;

namespace Mesos.Orleans.UnitTests.Master;

/// <summary>Tasks whose resources carry allocation_info, as real frameworks copy them from their offers.</summary>
public sealed class TaskAllocationInfoTests
{
    private static readonly FrameworkInfo MultiRole = new()
    {
        User = "u",
        Name = "multi",
        Roles = ["web"],
        Capabilities = [new FrameworkCapability { Type = FrameworkCapabilityType.MULTI_ROLE }],
    };

    [Fact]
    public async Task A_multi_role_framework_launches_with_the_offers_resources_copied_verbatim()
    {
        await using var fixture = await StartAsync();
        var (_, agentStream) = await fixture.AddAgentAsync("cpus:2;mem:1024");
        var (frameworkId, stream) = await fixture.AddFrameworkAsync(MultiRole);
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        Assert.All(offer.Resources!, r => Assert.Equal("web", r.AllocationInfo!.Role));

        await fixture.CallAsync(frameworkId, stream, Launch(offer, "copied", offer.Resources!));

        var run = await NextAsync<AgentEvent>(agentStream);
        Assert.Equal(AgentEventType.RUN_TASK, run.Type);
        Assert.Equal("copied", run.RunTask!.Task!.TaskId!.Value);
    }

    [Fact]
    public async Task A_single_role_framework_launches_with_the_offers_resources_copied_verbatim()
    {
        await using var fixture = await StartAsync();
        var (_, agentStream) = await fixture.AddAgentAsync("cpus:2;mem:1024");
        var (frameworkId, stream) = await fixture.AddFrameworkAsync(new FrameworkInfo { User = "u", Name = "single", Role = "web" });
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        Assert.All(offer.Resources!, r => Assert.Null(r.AllocationInfo));

        await fixture.CallAsync(frameworkId, stream, Launch(offer, "copied", offer.Resources!));

        Assert.Equal(AgentEventType.RUN_TASK, (await NextAsync<AgentEvent>(agentStream)).Type);
    }

    [Fact]
    public async Task A_single_role_framework_may_name_its_own_role_in_allocation_info()
    {
        await using var fixture = await StartAsync();
        var (_, agentStream) = await fixture.AddAgentAsync("cpus:2;mem:1024");
        var (frameworkId, stream) = await fixture.AddFrameworkAsync(new FrameworkInfo { User = "u", Name = "single", Role = "web" });
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        var resources = ResourceBag.Parse("cpus:1;mem:128").WithAllocationRole("web").ToWire(ResourceFormat.PreRefinement);

        await fixture.CallAsync(frameworkId, stream, Launch(offer, "named", resources));

        Assert.Equal(AgentEventType.RUN_TASK, (await NextAsync<AgentEvent>(agentStream)).Type);
    }

    [Fact]
    public async Task A_multi_role_framework_without_allocation_info_gets_task_error_saying_so()
    {
        await using var fixture = await StartAsync();
        var (_, agentStream) = await fixture.AddAgentAsync("cpus:2;mem:1024");
        var (frameworkId, stream) = await fixture.AddFrameworkAsync(MultiRole);
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];

        await fixture.CallAsync(frameworkId, stream, Launch(offer, "bare", ResourceBag.Parse("cpus:1;mem:128").ToWire(ResourceFormat.PreRefinement)));

        var status = (await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE)).Update!.Status!;
        Assert.Equal(TaskState.TASK_ERROR, status.State);
        Assert.Contains("allocation_info", status.Message, StringComparison.Ordinal);
        Assert.True(NothingButHeartbeats(agentStream));
    }

    [Fact]
    public async Task Resources_allocated_to_another_role_than_the_offers_are_refused()
    {
        await using var fixture = await StartAsync();
        var (_, agentStream) = await fixture.AddAgentAsync("cpus:2;mem:1024");
        var (frameworkId, stream) = await fixture.AddFrameworkAsync(MultiRole);
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        var resources = ResourceBag.Parse("cpus:1;mem:128").WithAllocationRole("db").ToWire(ResourceFormat.PreRefinement);

        await fixture.CallAsync(frameworkId, stream, Launch(offer, "elsewhere", resources));

        var status = (await NextAsync<Event>(stream, e => e.Type == EventType.UPDATE)).Update!.Status!;
        Assert.Equal(TaskState.TASK_ERROR, status.State);
        Assert.Contains("allocated to role 'db' but the offer is allocated to role 'web'", status.Message, StringComparison.Ordinal);
        Assert.True(NothingButHeartbeats(agentStream));
    }

    [Fact]
    public async Task A_multi_role_task_group_launches_with_resources_copied_from_the_offer()
    {
        await using var fixture = await StartAsync();
        var (_, agentStream) = await fixture.AddAgentAsync("cpus:2;mem:1024");
        var (frameworkId, stream) = await fixture.AddFrameworkAsync(MultiRole);
        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];
        var half = ResourceBag.FromWire(offer.Resources).Subtract(ResourceBag.Parse("cpus:1;mem:512").WithAllocationRole("web"));
        Assert.Equal("web", half.Entries[0].Key.AllocationRole);
        var call = new Call
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
                                ExecutorId = new ExecutorId("group"),
                                Type = "DEFAULT",
                                Resources = ResourceBag.Parse("cpus:0.5;mem:256").WithAllocationRole("web").ToWire(ResourceFormat.PreRefinement),
                            },
                            TaskGroup = new TaskGroupInfo { Tasks = [Task("g1", half.ToWire(ResourceFormat.PreRefinement), offer)] },
                        },
                    },
                ],
            },
        };

        await fixture.CallAsync(frameworkId, stream, call);

        var run = await NextAsync<AgentEvent>(agentStream);
        Assert.Equal(AgentEventType.RUN_TASK_GROUP, run.Type);
    }

    private static Call Launch(Offer offer, string taskId, List<Resource> resources) => new()
    {
        Type = CallType.ACCEPT,
        Accept = new AcceptCall
        {
            OfferIds = [offer.Id!],
            Operations = [new OfferOperation { Type = OperationType.LAUNCH, Launch = new LaunchOperation { TaskInfos = [Task(taskId, resources, offer)] } }],
        },
    };

    private static TaskInfo Task(string taskId, List<Resource> resources, Offer offer) => new()
    {
        Name = taskId,
        TaskId = new TaskId(taskId),
        AgentId = offer.AgentId,
        Resources = resources,
        Command = new CommandInfo { Value = "true" },
    };
}
