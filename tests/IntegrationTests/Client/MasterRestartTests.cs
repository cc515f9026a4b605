using Mesos.Orleans.Client;
using Mesos.Orleans.Client.Offers;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Waiting;
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

        // The agent reregisters with the task and the new master tells the scheduler about it: as the answer to
        // the scheduler's reconciliation, or as the agent's resent update if the master died before relaying
        // the acknowledgement. Which comes first depends on who reaches the new master first.
        var heard = await events.NextAsync<TaskStatusUpdated>(
            u => u.Status.TaskId?.Value == "survivor", TimeSpan.FromSeconds(90), "news of the task from the new master");
        Assert.Equal(TaskState.TASK_RUNNING, heard.Status.State);
        var frameworks = await client.Frameworks.ListAsync();
        Assert.Contains(frameworks, f => f.FrameworkInfo?.Id == first.FrameworkId && f.Connected);

        // Still the framework's task at the new master: the kill reaches it, and the task's updates are
        // acknowledged (TASK_KILLED arrives only after every earlier update was).
        await scheduler.KillAsync(new TaskId("survivor"));
        var killed = await events.NextAsync<TaskStatusUpdated>(u => u.Status.TaskId?.Value == "survivor" && u.Status.State == TaskState.TASK_KILLED);
        Assert.Equal(first.FrameworkId, scheduler.FrameworkId);
        Assert.NotNull(killed.Raw);
    }

    [Fact]
    public async Task A_framework_that_comes_back_after_its_agent_finds_its_task_by_reconciliation()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        using var client = new MesosClient(new MesosClientOptions { Masters = { cluster.Master }, MaxReconnectDelay = TimeSpan.FromSeconds(1) });
        var framework = new FrameworkInfo { User = "root", Name = "client-late", FailoverTimeout = 600, Checkpoint = true };
        var scheduler = client.CreateScheduler();
        await using (var events = new EventRecorder<SchedulerEvent>(ct => scheduler.SubscribeAsync(framework, ct)))
        {
            var offer = (await events.NextAsync<OffersReceived>()).Offers[0];
            var packer = new OfferPacker(offer);
            packer.TryAddCommandTask("kept", "sleep 600", ResourceBag.Parse("cpus:0.1;mem:32"));
            await scheduler.LaunchOrDeclineAsync(packer);
            await events.NextAsync<TaskStatusUpdated>(u => u.Status.TaskId?.Value == "kept" && u.Status.State == TaskState.TASK_RUNNING);
        }

        // The scheduler is gone (within its failover timeout) while the master restarts and the agent
        // reregisters with the task: the new master holds a task whose framework it does not know yet.
        await cluster.RestartMasterAsync();
        await Eventually.TrueAsync(async () => (await client.Agents.ListAsync()).Count == 1, "the agent to reregister with the new master");

        // A new scheduler process subscribes with the framework's ID; its first subscription reconciles.
        var successor = client.CreateScheduler();
        await using var resumed = new EventRecorder<SchedulerEvent>(ct => successor.SubscribeAsync(framework, ct));
        var subscribed = await resumed.NextAsync<Subscribed>();
        Assert.Equal(framework.Id, subscribed.FrameworkId);
        var answer = await resumed.NextAsync<TaskStatusUpdated>(
            u => u.Status.TaskId?.Value == "kept" && u.Status.Reason == TaskStatusReason.REASON_RECONCILIATION, description: "reconciliation answer");
        Assert.Equal(TaskState.TASK_RUNNING, answer.Status.State);

        await successor.KillAsync(new TaskId("kept"));
        await resumed.NextAsync<TaskStatusUpdated>(u => u.Status.TaskId?.Value == "kept" && u.Status.State == TaskState.TASK_KILLED);
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
        await Eventually.TrueAsync(async () => (await client.Agents.ListAsync()).Count == 1, "the agent to reregister");
        Assert.False(events.Loop.IsCompleted);
    }
}
