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
using Npgsql;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.HighAvailability;

/// <summary>Three real masters on one real PostgreSQL, with a short lease: the leader killed, paused past its
/// lease, and the database restarted under them.</summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class HaFailoverTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly string[] ShortLease =
        ["--lease_ttl", "2secs", "--lease_renew_interval", "0.4secs", "--lease_retry_interval", "0.2secs", "--lease_margin", "0.5secs", "--agent_reregister_timeout", "60secs"];

    [Fact]
    public async Task Killing_the_leader_hands_over_and_no_task_or_status_update_is_lost()
    {
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartHaMastersAsync(3, await postgres.CreateDatabaseAsync(), ShortLease);
        var leader = await cluster.WaitForLeaderAsync(Patience);
        await cluster.StartAgentAsync("cpus:4;mem:1024;disk:1024;ports:[31000-31099]");
        await WaitForAgentAsync(cluster, leader);

        var info = new FrameworkInfo { User = "root", Name = "ha", FailoverTimeout = 600 };
        var scheduler = await TestScheduler.SubscribeAsync(cluster.MasterUrls[leader], info);
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

        // The leader dies; the short tasks finish while nobody leads, so their updates wait on the agent.
        cluster.Masters[leader].KillHard();
        await scheduler.DisposeAsync();
        File.WriteAllText(flag, string.Empty);
        var next = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(5), excluding: leader);

        await using var again = await TestScheduler.SubscribeAsync(cluster.MasterUrls[next], new FrameworkInfo { Id = frameworkId, User = "root", Name = "ha", FailoverTimeout = 600 });
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

        // The standby that did not win redirects to the new leader.
        var standby = Enumerable.Range(0, 3).Single(i => i != leader && i != next);
        using var redirect = await NoRedirects().GetAsync(new Uri(cluster.MasterUrls[standby], "/master/redirect"));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        Assert.Equal($"//127.0.0.1:{cluster.MasterUrls[next].Port}", redirect.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_killed_leader_is_replaced_before_its_lease_expires()
    {
        // A 20 s lease with a 10 s margin: the dead leader's freed session lock hands over after 10 s, its
        // lease would only expire 20 s after its last renewal.
        string[] lease = ["--lease_ttl", "20secs", "--lease_renew_interval", "1secs", "--lease_retry_interval", "0.2secs", "--lease_margin", "10secs"];
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartHaMastersAsync(2, database, lease);
        var leader = await cluster.WaitForLeaderAsync(Patience);

        cluster.Masters[leader].KillHard();
        var expiry = await ScalarAsync<DateTime>(database, "SELECT expires_at FROM leader_lease WHERE id = 1");

        var next = await cluster.WaitForLeaderAsync(Patience, excluding: leader);
        Assert.NotEqual(leader, next);
        Assert.True(await ScalarAsync<bool>(database, $"SELECT now() < '{expiry:O}'::timestamptz"), "the standby led only once the old lease had expired");
    }

    [Fact]
    public async Task Every_master_rehearses_leading_on_its_own_and_the_cluster_never_sees_it()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartHaMastersAsync(2, database, ShortLease);
        var leader = await cluster.WaitForLeaderAsync(Patience);

        await Eventually.TrueAsync(
            () => cluster.Masters.All(m => m.Log.Contains("Rehearsed leading in", StringComparison.Ordinal)),
            "both masters to finish their leader rehearsal",
            Patience);

        // Its agents and framework lived on a throwaway in-memory leader: not in the registry, not at the leader.
        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM agents"));
        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM frameworks"));
        var state = await cluster.GetJsonAsync(new Uri(cluster.MasterUrls[leader], "/master/state"));
        Assert.Empty(state["slaves"]!.AsArray());
        Assert.Empty(state["frameworks"]!.AsArray());
    }

    [Fact]
    public async Task A_leader_paused_past_its_lease_writes_nothing_when_it_resumes_and_steps_down()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartHaMastersAsync(3, database, ShortLease);
        var leader = await cluster.WaitForLeaderAsync(Patience);
        var oldTerm = await LeaseTermAsync(database);

        cluster.Masters[leader].Signal(SigStop);
        var next = await cluster.WaitForLeaderAsync(Patience, excluding: leader);
        Assert.True(await LeaseTermAsync(database) > oldTerm);

        // A weight change reaches the paused leader's socket; it is read only after SIGCONT.
        using var client = new HttpClient { Timeout = Patience };
        var write = client.PostAsync(new Uri(cluster.MasterUrls[leader], "/api/v1"), Json(new OperatorCall
        {
            Type = OperatorCallType.UPDATE_WEIGHTS,
            UpdateWeights = new UpdateWeightsCall { WeightInfos = [new WeightInfo { Role = "stale", Weight = 5 }] },
        }));
        cluster.Masters[leader].Signal(SigCont);

        // Refused as no longer the leader (503), redirected by the standby it became, or reset with its listener.
        var outcome = await write.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.StatusCode : (HttpStatusCode?)null, TaskScheduler.Default);
        Assert.NotEqual(HttpStatusCode.OK, outcome);
        Assert.Equal(next, await cluster.WaitForLeaderAsync(Patience));
        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM roles WHERE role = 'stale'"));

        // The resumed master is a standby now: its membership row and its redirect say so.
        await Eventually.TrueAsync(
            async _ => await ScalarAsync(database, $"SELECT count(*) FROM masters WHERE port = {cluster.MasterUrls[leader].Port} AND status = 'standby'") == 1L,
            "the old leader to report itself a standby",
            Patience);
        await Eventually.TrueAsync(
            async ct =>
            {
                // Between the leader's host closing and the standby's opening, the port briefly refuses.
                try
                {
                    using var redirect = await NoRedirects().GetAsync(new Uri(cluster.MasterUrls[leader], "/master/redirect"), ct);
                    return redirect.Headers.Location?.OriginalString == $"//127.0.0.1:{cluster.MasterUrls[next].Port}";
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            "the old leader to redirect to the new one",
            Patience);
    }

    [Fact]
    public async Task The_cluster_serves_again_after_PostgreSQL_restarts_under_it()
    {
        await using var server = await TestPostgres.StartAsync();
        var database = await server.CreateDatabaseAsync("ha");
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartHaMastersAsync(2, database, ShortLease);
        await cluster.WaitForLeaderAsync(Patience);
        await cluster.StartAgentAsync("cpus:2;mem:512;disk:512;ports:[31000-31009]");

        await server.RestartAsync();

        var leader = await cluster.WaitForLeaderAsync(Patience);
        await WaitForAgentAsync(cluster, leader);
        await Eventually.TrueAsync(
            async ct =>
            {
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                using var response = await client.PostAsync(new Uri(cluster.MasterUrls[leader], "/api/v1"), Json(new OperatorCall
                {
                    Type = OperatorCallType.UPDATE_WEIGHTS,
                    UpdateWeights = new UpdateWeightsCall { WeightInfos = [new WeightInfo { Role = "after-restart", Weight = 2 }] },
                }), ct);
                return response.StatusCode == HttpStatusCode.OK;
            },
            "the leader to accept a registry write again",
            Patience);
        Assert.Equal(2.0, await ScalarAsync<double>(database, "SELECT weight FROM roles WHERE role = 'after-restart'"));

        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.MasterUrls[leader], new FrameworkInfo { User = "root", Name = "after-restart" });
        Assert.NotNull((await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers);
    }

    [Fact]
    public async Task Standbys_answer_reads_from_their_registry_copy_and_redirect_writes()
    {
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartHaMastersAsync(2, await postgres.CreateDatabaseAsync(), ShortLease);
        var leader = await cluster.WaitForLeaderAsync(Patience);
        var standby = 1 - leader;
        using var client = new HttpClient { Timeout = Patience };
        using (var set = await client.PostAsync(new Uri(cluster.MasterUrls[leader], "/api/v1"), Json(new OperatorCall
        {
            Type = OperatorCallType.UPDATE_WEIGHTS,
            UpdateWeights = new UpdateWeightsCall { WeightInfos = [new WeightInfo { Role = "analytics", Weight = 3 }] },
        })))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        await Eventually.TrueAsync(
            async ct =>
            {
                using var read = await client.PostAsync(new Uri(cluster.MasterUrls[standby], "/api/v1"), Json(new OperatorCall { Type = OperatorCallType.GET_WEIGHTS }), ct);
                var body = MesosJson.Deserialize<OperatorResponse>(await read.Content.ReadAsStringAsync(ct));
                return read.StatusCode == HttpStatusCode.OK && read.Headers.Age is not null
                    && body?.GetWeights?.WeightInfos?.Any(w => w.Role == "analytics" && w.Weight == 3) == true;
            },
            "the standby's copy to show the new weight",
            Patience);

        using var masters = await client.PostAsync(new Uri(cluster.MasterUrls[standby], "/api/v1"), Json(new OperatorCall { Type = OperatorCallType.GET_MASTERS }));
        var members = MesosJson.Deserialize<OperatorResponse>(await masters.Content.ReadAsStringAsync())!.GetMasters!.Masters!;
        Assert.Equal(2, members.Count(m => m.Alive));
        Assert.Equal("leader", members[0].Status);

        using var write = await NoRedirects().PostAsync(new Uri(cluster.MasterUrls[standby], "/api/v1/scheduler"), Json(new Call { Type = CallType.SUBSCRIBE }));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, write.StatusCode);
        Assert.Equal($"//127.0.0.1:{cluster.MasterUrls[leader].Port}/api/v1/scheduler", write.Headers.Location!.OriginalString);

        using var ready = await client.GetAsync(new Uri(cluster.MasterUrls[standby], "/health/ready"));
        using var live = await client.GetAsync(new Uri(cluster.MasterUrls[standby], "/health/live"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        var state = await cluster.GetJsonAsync(new Uri(cluster.MasterUrls[leader], "/master/state"));
        Assert.Equal(2, state["masters"]!.AsArray().Count);
    }

    private static async Task WaitForAgentAsync(MesosCluster cluster, int leader) => await Eventually.TrueAsync(
        async _ => (await cluster.GetJsonAsync(new Uri(cluster.MasterUrls[leader], "/master/state")))["activated_slaves"]?.GetValue<int>() == 1,
        "the agent to register with the leader",
        Patience);

    private static HttpClient NoRedirects() => new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = Patience };

    private static StringContent Json(object body) => new(MesosJson.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static Task<long> LeaseTermAsync(string database) => ScalarAsync(database, "SELECT term FROM leader_lease WHERE id = 1");

    private static Task<long> ScalarAsync(string database, string sql) => ScalarAsync<long>(database, sql);

    private static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
