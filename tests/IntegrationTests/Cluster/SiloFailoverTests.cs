using System.Net;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Postgres;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Mesos.Orleans.Testing.Waiting;
using Mesos.Orleans.IntegrationTests.Postgres;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Cluster;

/// <summary>Real mesos-master silos clustered on a real PostgreSQL: every silo serves, the silo running the
/// master grain killed or paused, the database restarted under them.</summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class SiloFailoverTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly string[] Flags = ["--agent_reregister_timeout", "60secs"];

    [Fact]
    public async Task A_framework_streams_from_one_silo_and_calls_through_another()
    {
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartSilosAsync(2, await postgres.CreateDatabaseAsync(), Flags);
        await cluster.StartAgentAsync("cpus:2;mem:512;disk:512;ports:[31000-31009]");
        await WaitForAgentAsync(cluster, 0);

        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.MasterUrls[0], new FrameworkInfo { User = "root", Name = "two-silos" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        using (var accepted = await scheduler.CallAsync(Calls.Launch(offer, [Calls.CommandTask(offer, "via-other", "sleep 600")]), cluster.MasterUrls[1]))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        var running = await scheduler.UntilAsync("via-other", s => s.State == TaskState.TASK_RUNNING, Patience);
        Assert.Equal(TaskState.TASK_RUNNING, running.State);

        // No redirects: the other silo answers reads and writes itself, and knows the task.
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = Patience };
        using var tasks = await noRedirects.PostAsync(new Uri(cluster.MasterUrls[1], "/api/v1"), Json(new OperatorCall { Type = OperatorCallType.GET_TASKS }));
        Assert.Equal(HttpStatusCode.OK, tasks.StatusCode);
        Assert.Contains("via-other", await tasks.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killing_the_silo_running_the_master_hands_over_and_no_task_or_status_update_is_lost()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartSilosAsync(3, database, Flags);
        var hosting = await cluster.MasterSiloAsync(Patience);
        var serving = (hosting + 1) % 3;
        await cluster.StartAgentAsync("cpus:4;mem:1024;disk:1024;ports:[31000-31099]");
        await WaitForAgentAsync(cluster, serving);
        var termBefore = await StoredRecords.TermAsync(database);

        var info = new FrameworkInfo { User = "root", Name = "failover", FailoverTimeout = 600 };
        var scheduler = await TestScheduler.SubscribeAsync(cluster.MasterUrls[serving], info);
        var frameworkId = scheduler.FrameworkId!;
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        var flag = Path.Combine(cluster.Root, "finish");
        string[] longTasks = ["long-1", "long-2", "long-3"];
        string[] shortTasks = ["short-1", "short-2"];
        using (var accepted = await scheduler.CallAsync(Calls.Launch(offer, [
            .. longTasks.Select(id => Calls.CommandTask(offer, id, "sleep 600")),
            .. shortTasks.Select(id => Calls.CommandTask(offer, id, $"while [ ! -f '{flag}' ]; do sleep 0.1; done; echo {id}")),
        ])))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        await scheduler.UntilAllAsync(longTasks.Concat(shortTasks), s => s.State == TaskState.TASK_RUNNING, Patience);

        // The master's silo dies; the short tasks finish while the master is away, so their updates wait on the agent.
        cluster.Masters[hosting].KillHard();
        File.WriteAllText(flag, string.Empty);
        await scheduler.DisposeAsync();
        var next = await cluster.MasterSiloAsync(Patience, excluding: hosting);
        Assert.NotEqual(hosting, next);
        Assert.True(await StoredRecords.TermAsync(database) > termBefore);

        await using var again = await TestScheduler.SubscribeAsync(cluster.MasterUrls[serving], new FrameworkInfo { Id = frameworkId, User = "root", Name = "failover", FailoverTimeout = 600 });
        Assert.Equal(frameworkId, again.FrameworkId);
        var ends = await again.UntilAllAsync(shortTasks, s => TaskStates.IsTerminal(s.State!.Value), Patience);
        Assert.All(ends.Values, end => Assert.Equal(TaskState.TASK_FINISHED, end.State));

        using (var reconcile = await again.CallAsync(new Call
        {
            Type = CallType.RECONCILE,
            Reconcile = new ReconcileCall { Tasks = [.. longTasks.Select(id => new ReconcileTask { TaskId = new TaskId(id) })] },
        }))
        {
            Assert.Equal(HttpStatusCode.Accepted, reconcile.StatusCode);
        }

        var reconciled = await again.UntilAllAsync(longTasks, s => s.Reason == TaskStatusReason.REASON_RECONCILIATION, Patience);
        Assert.All(reconciled.Values, status => Assert.Equal(TaskState.TASK_RUNNING, status.State));
        Assert.DoesNotContain(again.Received, e => e.Update?.Status?.State is TaskState.TASK_LOST or TaskState.TASK_UNREACHABLE or TaskState.TASK_GONE);
    }

    [Fact]
    public async Task A_silo_paused_past_its_death_writes_nothing_when_it_resumes()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartSilosAsync(3, database, Flags);
        var hosting = await cluster.MasterSiloAsync(Patience);
        var oldTerm = await StoredRecords.TermAsync(database);

        cluster.Masters[hosting].Signal(SigStop);
        var next = await cluster.MasterSiloAsync(Patience, excluding: hosting);
        Assert.True(await StoredRecords.TermAsync(database) > oldTerm);

        // A weight change reaches the paused silo's socket; it is read only after SIGCONT, by the old activation.
        using var client = new HttpClient { Timeout = Patience };
        var write = client.PostAsync(new Uri(cluster.MasterUrls[hosting], "/api/v1"), Json(new OperatorCall
        {
            Type = OperatorCallType.UPDATE_WEIGHTS,
            UpdateWeights = new UpdateWeightsCall { WeightInfos = [new WeightInfo { Role = "stale", Weight = 5 }] },
        }));
        cluster.Masters[hosting].Signal(SigCont);

        // Refused by the role's grain (its term is no longer the latest), or lost with the silo, which learns it
        // was declared dead and stops.
        var outcome = await write.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.StatusCode : (HttpStatusCode?)null, TaskScheduler.Default);
        Assert.NotEqual(HttpStatusCode.OK, outcome);
        Assert.Null(await StoredRecords.WeightAsync(database, "stale"));
        Assert.Equal(next, await cluster.MasterSiloAsync(Patience, excluding: hosting));
    }

    [Fact]
    public async Task The_cluster_serves_again_after_PostgreSQL_restarts_under_it()
    {
        await using var server = await TestPostgres.StartAsync();
        var database = await server.CreateDatabaseAsync("silos");
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartSilosAsync(2, database, Flags);
        await cluster.StartAgentAsync("cpus:2;mem:512;disk:512;ports:[31000-31009]");
        await WaitForAgentAsync(cluster, 0);

        await server.RestartAsync();

        await Eventually.TrueAsync(
            async ct =>
            {
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                using var response = await client.PostAsync(new Uri(cluster.MasterUrls[1], "/api/v1"), Json(new OperatorCall
                {
                    Type = OperatorCallType.UPDATE_WEIGHTS,
                    UpdateWeights = new UpdateWeightsCall { WeightInfos = [new WeightInfo { Role = "after-restart", Weight = 2 }] },
                }), ct);
                return response.StatusCode == HttpStatusCode.OK;
            },
            "the master to store a weight again",
            Patience);
        Assert.Equal(2.0, await StoredRecords.WeightAsync(database, "after-restart"));

        await WaitForAgentAsync(cluster, 1);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.MasterUrls[1], new FrameworkInfo { User = "root", Name = "after-restart" });
        Assert.NotNull((await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers);
    }

    private static async Task WaitForAgentAsync(MesosCluster cluster, int silo) => await Eventually.TrueAsync(
        async _ => (await cluster.GetJsonAsync(new Uri(cluster.MasterUrls[silo], "/master/state")))["activated_slaves"]?.GetValue<int>() == 1,
        "the agent to register with the master",
        Patience);

    private static StringContent Json(object body) => new(MesosJson.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
