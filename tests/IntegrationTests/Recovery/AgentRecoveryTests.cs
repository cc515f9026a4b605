using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Mesos.Orleans.Testing.Waiting;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Recovery;

/// <summary>kill -9 of the agent while tasks run: tasks keep running, the restarted agent adopts them, and the
/// framework sees each terminal update exactly once.</summary>
public sealed class AgentRecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_task_running_across_an_agent_restart_finishes_and_is_reported_once()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "recovery", FailoverTimeout = 600 });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        var flag = Path.Combine(cluster.Root, "go");
        using var accepted = await scheduler.CallAsync(Calls.Launch(offer,
            Calls.CommandTask(offer, "survivor", $"while [ ! -f '{flag}' ]; do sleep 0.1; done; echo done")));
        await scheduler.UntilAsync("survivor", s => s.State == TaskState.TASK_RUNNING, Patience);

        await cluster.RestartAgentAsync(0);
        await cluster.WaitForAgentsAsync(1);
        File.WriteAllText(flag, string.Empty);

        var end = await scheduler.UntilAsync("survivor", s => TaskStates.IsTerminal(s.State!.Value), Patience);
        Assert.Equal(TaskState.TASK_FINISHED, end.State);
        Assert.Equal("done\n", await File.ReadAllTextAsync(Path.Combine(await SandboxAsync(cluster, "survivor"), "stdout")));

        // Once acknowledged, the terminal update is not sent again: a reconciliation round trip passes
        // without a second reliable TASK_FINISHED.
        using var reconcile = await scheduler.CallAsync(new Call { Type = CallType.RECONCILE, Reconcile = new ReconcileCall { Tasks = [new ReconcileTask { TaskId = new TaskId("survivor") }] } });
        await scheduler.UntilAsync("survivor", s => s.Reason == TaskStatusReason.REASON_RECONCILIATION, Patience);
        Assert.Single(scheduler.Received, e => e.Update?.Status is { State: TaskState.TASK_FINISHED, Uuid: not null } s && s.TaskId!.Value == "survivor");
    }

    [Fact]
    public async Task A_task_that_ends_while_the_agent_is_down_is_reported_with_its_real_exit_status()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "recovery", FailoverTimeout = 600 });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        var flag = Path.Combine(cluster.Root, "go");
        using var accepted = await scheduler.CallAsync(Calls.Launch(offer,
            Calls.CommandTask(offer, "while-away", $"while [ ! -f '{flag}' ]; do sleep 0.1; done; exit 3")));
        await scheduler.UntilAsync("while-away", s => s.State == TaskState.TASK_RUNNING, Patience);
        var sandbox = await SandboxAsync(cluster, "while-away");

        await cluster.KillAgentAsync(0);
        File.WriteAllText(flag, string.Empty);
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(sandbox, ".exit_status")), "the task to end while the agent is down", Patience);
        await cluster.StartAgentAgainAsync(0);

        var end = await scheduler.UntilAsync("while-away", s => TaskStates.IsTerminal(s.State!.Value), Patience);
        Assert.Equal(TaskState.TASK_FAILED, end.State);
        Assert.Equal("Command exited with status 3", end.Message);
    }

    private static async Task<string> SandboxAsync(MesosCluster cluster, string taskId)
    {
        var state = await cluster.GetJsonAsync(new Uri(cluster.AgentUrls[0], "/state"));
        return state["tasks"]!.AsArray().Concat(state["completed_tasks"]!.AsArray())
            .First(t => t!["id"]!.GetValue<string>() == taskId)!["directory"]!.GetValue<string>();
    }
}
