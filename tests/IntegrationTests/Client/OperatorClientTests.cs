using Mesos.Orleans.Client;
using Mesos.Orleans.Client.DependencyInjection;
using Mesos.Orleans.Client.Offers;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Waiting;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Client;

/// <summary>The typed operator interfaces against a real master and agents.</summary>
public sealed class OperatorClientTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Roles_take_weights_and_quotas()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        using var client = MesosClient.Create(cluster.Master.ToString());

        await client.Roles.SetWeightsAsync(new Dictionary<string, double> { ["eng"] = 2.5, ["ops"] = 0.5 });
        var weights = await client.Roles.GetWeightsAsync();
        Assert.Equal((2.5, 0.5), (weights["eng"], weights["ops"]));

        await client.Roles.SetQuotaAsync(new QuotaConfig
        {
            Role = "eng",
            Guarantees = new() { ["cpus"] = new QuotaValue { Value = 1 } },
            Limits = new() { ["cpus"] = new QuotaValue { Value = 1.5 }, ["mem"] = new QuotaValue { Value = 512 } },
        });
        var quota = Assert.Single(await client.Roles.GetQuotasAsync(), q => q.Role == "eng");
        Assert.Equal((1.0, 1.5), (quota.Guarantees!["cpus"].Value, quota.Limits!["cpus"].Value));
        var roles = await client.Roles.ListAsync();
        Assert.Equal(2.5, Assert.Single(roles, r => r.Name == "eng").Weight);

        // More than the cluster has is refused (409) unless forced, with the master's reason.
        var overcommit = new QuotaConfig { Role = "ops", Guarantees = new() { ["cpus"] = new QuotaValue { Value = 100 } } };
        var refused = await Assert.ThrowsAsync<MesosCallException>(() => client.Roles.SetQuotaAsync(overcommit));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.StatusCode);
        await client.Roles.SetQuotaAsync(overcommit, force: true);
        Assert.Contains(await client.Roles.GetQuotasAsync(), q => q.Role == "ops");
    }

    [Fact]
    public async Task Agents_are_listed_deactivated_reactivated_reserved_drained_and_marked_gone()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 2);
        using var client = MesosClient.Create(cluster.Master.ToString());
        var agents = await client.Agents.ListAsync();
        Assert.Equal(2, agents.Count);
        var (first, second) = (agents[0].AgentInfo!.Id!, agents[1].AgentInfo!.Id!);
        Assert.Equal(first, (await client.Agents.GetAsync(first))?.AgentInfo?.Id);
        Assert.Null(await client.Agents.GetAsync(new AgentId("no-such-agent")));

        await client.Agents.DeactivateAsync(first);
        Assert.False((await client.Agents.GetAsync(first))!.Active);
        await client.Agents.ReactivateAsync(first);
        Assert.True((await client.Agents.GetAsync(first))!.Active);

        var reserved = ResourceBag.Parse("cpus:1;mem:128").PushReservation(ResourceReservation.Dynamic("eng", principal: null)).ToWire();
        await client.Agents.ReserveAsync(first, reserved);
        Assert.Equal(1.0, ResourceBag.FromWire((await client.Agents.GetAsync(first))!.TotalResources).Reserved("eng").ScalarOf("cpus").ToDouble());
        await client.Agents.UnreserveAsync(first, reserved);
        Assert.True(ResourceBag.FromWire((await client.Agents.GetAsync(first))!.TotalResources).Reserved("eng").IsEmpty);

        await client.Agents.DrainAsync(first, maxGracePeriod: TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(
            async () => (await client.Agents.GetAsync(first))?.DrainInfo?.State == DrainState.DRAINED, "the idle agent to be DRAINED");

        await client.Agents.MarkGoneAsync(second);
        await Eventually.TrueAsync(async () => await client.Agents.GetAsync(second) is null, "the gone agent to leave the list");
        var unknown = await Assert.ThrowsAsync<MesosCallException>(() => client.Agents.MarkGoneAsync(new AgentId("no-such-agent")));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Frameworks_and_tasks_are_listed_inspected_and_torn_down_while_the_event_stream_reports_them()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        using var client = MesosClient.Create(cluster.Master.ToString());
        await using var clusterEvents = new EventRecorder<OperatorEvent>(ct => client.Events.SubscribeAsync(ct));
        await clusterEvents.NextAsync<OperatorEvent>(e => e.Type == OperatorEventType.SUBSCRIBED);

        var scheduler = client.CreateScheduler();
        var framework = new FrameworkInfo { User = "root", Name = "client-operator" };
        await using var events = new EventRecorder<SchedulerEvent>(ct => scheduler.SubscribeAsync(framework, ct));
        var offer = (await events.NextAsync<OffersReceived>()).Offers[0];
        var packer = new OfferPacker(offer);
        packer.TryAddCommandTask("watched", "sleep 600", ResourceBag.Parse("cpus:0.1;mem:32"));
        await scheduler.LaunchOrDeclineAsync(packer);
        await events.NextAsync<TaskStatusUpdated>(u => u.Status.State == TaskState.TASK_RUNNING);

        var added = await clusterEvents.NextAsync<OperatorEvent>(e => e.Type == OperatorEventType.FRAMEWORK_ADDED);
        Assert.Equal(framework.Id, added.FrameworkAdded!.Framework!.FrameworkInfo!.Id);
        var taskAdded = await clusterEvents.NextAsync<OperatorEvent>(e => e.Type == OperatorEventType.TASK_ADDED);
        Assert.Equal("watched", taskAdded.TaskAdded!.Task!.TaskId!.Value);

        Assert.Contains(await client.Frameworks.ListAsync(), f => f.FrameworkInfo?.Id == framework.Id);
        Assert.Equal("client-operator", (await client.Frameworks.GetAsync(framework.Id!))?.FrameworkInfo?.Name);
        var task = Assert.Single(await client.Tasks.ListAsync());
        Assert.Equal((TaskState.TASK_RUNNING, framework.Id), (task.State, task.FrameworkId));
        Assert.Equal(offer.AgentId, (await client.Tasks.GetAsync(new TaskId("watched")))?.AgentId);

        await client.Frameworks.TearDownAsync(framework.Id!);
        await events.NextAsync<ErrorReceived>();
        await events.Loop;
        await clusterEvents.NextAsync<OperatorEvent>(e => e.Type == OperatorEventType.FRAMEWORK_REMOVED);
        await Eventually.TrueAsync(async () => (await client.Tasks.ListAsync()).Count == 0, "the torn-down framework's task to end");
        Assert.Contains(await client.Frameworks.ListCompletedAsync(), f => f.FrameworkInfo?.Id == framework.Id);
        Assert.Contains(await client.Tasks.ListCompletedAsync(), t => t.TaskId?.Value == "watched" && t.State == TaskState.TASK_KILLED);
    }

    [Fact]
    public async Task AddMesosClient_registers_the_client_and_its_parts()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        var services = new ServiceCollection().AddMesosClient(options => options.Masters.Add(cluster.Master));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IMesosClient>();
        Assert.Same(client, provider.GetRequiredService<MesosClient>());
        Assert.Same(client.Agents, provider.GetRequiredService<IAgents>());
        Assert.Single(await provider.GetRequiredService<IAgents>().ListAsync());
        Assert.Empty(await provider.GetRequiredService<IFrameworks>().ListAsync());
        Assert.Empty(await provider.GetRequiredService<ITasks>().ListAsync());
        Assert.NotNull(provider.GetRequiredService<IRoles>());
        Assert.NotNull(provider.GetRequiredService<IClusterEvents>());
        // The silo running the master: the one process, or one of several behind a balancer.
        Assert.Contains(await client.FindLeaderAsync(), cluster.MasterUrls.Select(u => new Uri(u, "/")));
    }
}
