using Mesos.Orleans.Client;
using Mesos.Orleans.Client.Offers;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Client;

/// <summary>The master is killed (-9) and started again in the middle of the framework's stream: the
/// caller's <c>await foreach</c> goes on through a Disconnected and a new Subscribed, with the same framework
/// ID, and reconciliation brings back the task that kept running on its agent.</summary>
public sealed class MasterRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_scheduler_loop_survives_a_master_restart_and_keeps_its_framework_and_task()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        using var client = new MesosClient(new MesosClientOptions { Masters = { cluster.Master }, MaxReconnectDelay = TimeSpan.FromSeconds(1) });
        var scheduler = client.CreateScheduler();
        var framework = new FrameworkInfo { User = "root", Name = "client-failover", FailoverTimeout = 600, Checkpoint = true };
        await using var events = new EventRecorder<SchedulerEvent>(ct => scheduler.SubscribeAsync(framework, ct));

        var first = await events.NextAsync<Subscribed>();
        var offer = (await events.NextAsync<OffersReceived>()).Offers[0];
        var packer = new OfferPacker(offer);
        packer.TryAddCommandTask("survivor", "sleep 600", ResourceBag.Parse("cpus:0.1;mem:32"));
        await scheduler.LaunchOrDeclineAsync(packer);
        await events.NextAsync<TaskStatusUpdated>(u => u.Status.TaskId?.Value == "survivor" && u.Status.State == TaskState.TASK_RUNNING);

        await cluster.RestartMasterAsync();

        var lost = await events.NextAsync<Disconnected>();
        output.WriteLine($"disconnected: {lost.Reason}");
        var again = await events.NextAsync<Subscribed>();
        Assert.True(again.IsResubscription);
        Assert.Equal(first.FrameworkId, again.FrameworkId);
        Assert.False(events.Loop.IsCompleted);

        // The agent reregisters with the task; the scheduler's reconciliation hears of it from the new master.
        var reconciled = await events.NextAsync<TaskStatusUpdated>(
            u => u.Status.TaskId?.Value == "survivor" && u.Status.Reason == TaskStatusReason.REASON_RECONCILIATION, TimeSpan.FromSeconds(90));
        Assert.Equal(TaskState.TASK_RUNNING, reconciled.Status.State);
        var frameworks = await client.Frameworks.ListAsync();
        Assert.Contains(frameworks, f => f.FrameworkInfo?.Id == first.FrameworkId && f.Connected);

        // Still the framework's task: the scheduler kills it through the new master.
        await scheduler.KillAsync(new TaskId("survivor"));
        var killed = await events.NextAsync<TaskStatusUpdated>(u => u.Status.TaskId?.Value == "survivor" && u.Status.State == TaskState.TASK_KILLED);
        Assert.Equal(first.FrameworkId, scheduler.FrameworkId);
        Assert.NotNull(killed.Raw);
    }

    [Fact]
    public async Task The_operator_event_stream_reconnects_after_a_master_restart_with_a_fresh_snapshot()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        using var client = new MesosClient(new MesosClientOptions { Masters = { cluster.Master }, MaxReconnectDelay = TimeSpan.FromSeconds(1) });
        await using var events = new EventRecorder<OperatorEvent>(ct => client.Events.SubscribeAsync(ct));
        var before = await events.NextAsync<OperatorEvent>(e => e.Type == OperatorEventType.SUBSCRIBED);
        Assert.Single(before.Subscribed!.GetState!.GetAgents!.Agents!);

        await cluster.RestartMasterAsync();

        // A second SUBSCRIBED from the restarted master; the agent comes back as AGENT_ADDED or in a snapshot.
        await events.NextAsync<OperatorEvent>(e => e.Type == OperatorEventType.SUBSCRIBED, description: "SUBSCRIBED after the restart");
        await Testing.Waiting.Eventually.TrueAsync(async () => (await client.Agents.ListAsync()).Count == 1, "the agent to reregister");
        Assert.False(events.Loop.IsCompleted);
    }
}
