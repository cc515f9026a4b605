using Mesos.Orleans.Client;
using Mesos.Orleans.Client.Offers;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Postgres;
using Mesos.Orleans.Testing.Processes;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Client;

/// <summary>The client against three real silos on PostgreSQL: the silo running the master is killed -9 in the
/// middle of the framework's stream; the caller's loop goes on, the client reconnects through another of the
/// URLs it was given, resubscribes with the same framework ID and hears of its running task again.</summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class MasterFailoverTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task The_scheduler_loop_follows_a_master_failover_and_keeps_its_framework_and_task()
    {
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartSilosAsync(3, await postgres.CreateDatabaseAsync());
        var leader = await cluster.MasterSiloAsync(TimeSpan.FromSeconds(60));
        await cluster.StartAgentAsync("cpus:2;mem:1024;disk:1024;ports:[31000-31099]");

        // Every silo's URL, the master's first: the client has to move on when it dies.
        var options = new MesosClientOptions { MaxReconnectDelay = TimeSpan.FromSeconds(1) };
        foreach (var url in cluster.MasterUrls.OrderBy(u => u != cluster.MasterUrls[leader]))
        {
            options.Masters.Add(url);
        }

        using var client = new MesosClient(options);
        var scheduler = client.CreateScheduler();
        var framework = new FrameworkInfo { User = "root", Name = "client-ha", FailoverTimeout = 600, Checkpoint = true };
        await using var events = new EventRecorder<SchedulerEvent>(ct => scheduler.SubscribeAsync(framework, ct));
        var first = await events.NextAsync<Subscribed>();
        var offer = (await events.NextAsync<OffersReceived>()).Offers[0];
        var packer = new OfferPacker(offer);
        packer.TryAddCommandTask("through-failover", "sleep 600", ResourceBag.Parse("cpus:0.1;mem:32"));
        await scheduler.LaunchOrDeclineAsync(packer);
        await events.NextAsync<TaskStatusUpdated>(u => u.Status.TaskId?.Value == "through-failover" && u.Status.State == TaskState.TASK_RUNNING);

        cluster.Masters[leader].KillHard();

        await events.NextAsync<Disconnected>();
        var again = await events.NextAsync<Subscribed>(timeout: TimeSpan.FromSeconds(60));
        Assert.True(again.IsResubscription);
        Assert.Equal(first.FrameworkId, again.FrameworkId);
        var heard = await events.NextAsync<TaskStatusUpdated>(
            u => u.Status.TaskId?.Value == "through-failover", TimeSpan.FromSeconds(90), "news of the task from the new leader");
        Assert.Equal(TaskState.TASK_RUNNING, heard.Status.State);
        Assert.False(events.Loop.IsCompleted);

        await scheduler.KillAsync(new TaskId("through-failover"));
        await events.NextAsync<TaskStatusUpdated>(u => u.Status.TaskId?.Value == "through-failover" && u.Status.State == TaskState.TASK_KILLED);
    }
}
