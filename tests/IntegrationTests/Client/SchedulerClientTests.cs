using Mesos.Orleans.Client;
using Mesos.Orleans.Client.Offers;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Waiting;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Client;

/// <summary>A framework written with the client against real master and agent processes: typed events,
/// launches with ports, automatic and manual acknowledgement, kill, reconcile, decline, suppress, revive.</summary>
public sealed class SchedulerClientTests(ITestOutputHelper output)
{
    private static readonly ResourceBag Small = ResourceBag.Parse("cpus:0.1;mem:32");

    [Fact]
    public async Task A_task_launched_with_a_port_runs_to_finished_with_automatic_acknowledgements()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        using var client = MesosClient.Create(cluster.Master.ToString());
        var scheduler = client.CreateScheduler();
        var framework = new FrameworkInfo { User = "root", Name = "client-launch" };
        await using var events = new EventRecorder<SchedulerEvent>(ct => scheduler.SubscribeAsync(framework, ct));

        var subscribed = await events.NextAsync<Subscribed>();
        Assert.False(subscribed.IsResubscription);
        Assert.Equal(subscribed.FrameworkId, framework.Id);
        Assert.Equal(subscribed.FrameworkId, scheduler.FrameworkId);
        Assert.True(scheduler.IsConnected);

        var offer = (await events.NextAsync<OffersReceived>()).Offers[0];
        var packer = new OfferPacker(offer);
        var task = packer.TryAddCommandTask("echo-port", "echo port=$PORT0", Small, ports: 1);
        Assert.NotNull(task);
        await scheduler.LaunchOrDeclineAsync(packer);

        // TASK_FINISHED comes only after the earlier updates were acknowledged: the agent sends a task's next
        // update once the previous one is acknowledged, so reaching it proves the automatic acknowledgements.
        var states = new List<TaskState>();
        TaskStatusUpdated update;
        do
        {
            update = await events.NextAsync<TaskStatusUpdated>(u => u.Status.TaskId?.Value == "echo-port");
            states.Add(update.Status.State!.Value);
        }
        while (!TaskStates.IsTerminal(update.Status.State!.Value));

        Assert.Equal([TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED], states);
        var port = task.Command!.Environment!.Variables!.Single(v => v.Name == "PORT0").Value;
        Assert.InRange(int.Parse(port!, System.Globalization.CultureInfo.InvariantCulture), 31000, 31099);
        var stdout = Directory.GetFiles(cluster.Root, "stdout", SearchOption.AllDirectories)
            .Single(p => p.Contains($"{Path.DirectorySeparatorChar}echo-port{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.Equal($"port={port}\n", await File.ReadAllTextAsync(stdout));

        // The master saw the final update acknowledged too, so it forgets the task's pending update.
        var completed = await client.Tasks.GetAsync(new TaskId("echo-port"), framework.Id);
        Assert.Equal(TaskState.TASK_FINISHED, completed?.State);
    }

    [Fact]
    public async Task Manual_acknowledgement_kill_and_reconcile()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        using var client = MesosClient.Create(cluster.Master.ToString());
        var scheduler = client.CreateScheduler(new SchedulerOptions { AutoAcknowledge = false });
        var framework = new FrameworkInfo { User = "root", Name = "client-kill" };
        await using var events = new EventRecorder<SchedulerEvent>(ct => scheduler.SubscribeAsync(framework, ct));

        var offer = (await events.NextAsync<OffersReceived>()).Offers[0];
        var packer = new OfferPacker(offer);
        packer.TryAddCommandTask("sleeper", "sleep 600", Small);
        await scheduler.LaunchAsync(offer, packer.Tasks);

        TaskStatus status;
        do
        {
            status = (await events.NextAsync<TaskStatusUpdated>(u => u.Status.TaskId?.Value == "sleeper")).Status;
            Assert.NotNull(status.Uuid);
            await scheduler.AcknowledgeAsync(status);
        }
        while (status.State != TaskState.TASK_RUNNING);

        await scheduler.ReconcileAsync([new ReconcileTask { TaskId = new TaskId("sleeper"), AgentId = offer.AgentId }]);
        var explicitAnswer = await events.NextAsync<TaskStatusUpdated>(u => u.Status.Reason == TaskStatusReason.REASON_RECONCILIATION);
        Assert.Equal((TaskState.TASK_RUNNING, "sleeper"), (explicitAnswer.Status.State!.Value, explicitAnswer.Status.TaskId!.Value));
        Assert.Null(explicitAnswer.Status.Uuid);

        await scheduler.ReconcileAsync();
        var implicitAnswer = await events.NextAsync<TaskStatusUpdated>(u => u.Status.Reason == TaskStatusReason.REASON_RECONCILIATION);
        Assert.Equal("sleeper", implicitAnswer.Status.TaskId!.Value);

        await scheduler.KillAsync(new TaskId("sleeper"), offer.AgentId);
        var killed = await events.NextAsync<TaskStatusUpdated>(u => u.Status.TaskId?.Value == "sleeper" && TaskStates.IsTerminal(u.Status.State!.Value));
        Assert.Equal(TaskState.TASK_KILLED, killed.Status.State);
        await scheduler.AcknowledgeAsync(killed.Status);

        await scheduler.TearDownAsync();
        var completed = await client.Frameworks.ListCompletedAsync();
        Assert.Contains(completed, f => f.FrameworkInfo?.Id == framework.Id);
    }

    [Fact]
    public async Task Declined_offers_come_back_after_revive_and_suppress_stops_them()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        using var client = MesosClient.Create(cluster.Master.ToString());
        var scheduler = client.CreateScheduler();
        await using var events = new EventRecorder<SchedulerEvent>(ct => scheduler.SubscribeAsync(new FrameworkInfo { User = "root", Name = "client-decline" }, ct));

        var first = await events.NextAsync<OffersReceived>();
        await scheduler.DeclineAsync(first.Offers, TimeSpan.FromDays(1));
        await scheduler.ReviveAsync();
        var again = await events.NextAsync<OffersReceived>();
        Assert.Equal(first.Offers[0].AgentId, again.Offers[0].AgentId);

        await scheduler.SuppressAsync();
        await scheduler.DeclineAsync(again.Offers, TimeSpan.Zero);
        await Eventually.TrueAsync(
            async () => (await AllocationReasonAsync(cluster, scheduler.FrameworkId!)) == "SUPPRESSED",
            "the allocator to pass the suppressed framework over");
        var framework = await client.Frameworks.GetAsync(scheduler.FrameworkId!);
        Assert.True(framework?.Active);
    }

    [Fact]
    public async Task A_refused_subscription_throws_the_masters_reason_to_the_caller()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 0);
        using var client = MesosClient.Create(cluster.Master.ToString());
        var scheduler = client.CreateScheduler();

        var refused = await Assert.ThrowsAsync<MesosCallException>(async () =>
        {
            await foreach (var _ in scheduler.SubscribeAsync(new FrameworkInfo { User = "root", Name = null }))
            {
            }
        });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.False(scheduler.IsConnected);
        await Assert.ThrowsAsync<MesosConnectionException>(() => scheduler.ReviveAsync());
    }

    private static async Task<string?> AllocationReasonAsync(MesosCluster cluster, FrameworkId frameworkId)
    {
        var call = new OperatorCall { Type = OperatorCallType.GET_ALLOCATION_REASONS, GetAllocationReasons = new AllocationReasonsCall { FrameworkId = frameworkId } };
        using var content = new ByteArrayContent(MesosJson.SerializeToUtf8(call));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await cluster.Http.PostAsync(new Uri(cluster.Master, "/api/v1"), content);
        var answer = MesosJson.Deserialize<OperatorResponse>(await response.Content.ReadAsStringAsync());
        return answer?.GetAllocationReasons?.Frameworks?.SingleOrDefault(f => f.FrameworkId == frameworkId)?.Reason;
    }
}
