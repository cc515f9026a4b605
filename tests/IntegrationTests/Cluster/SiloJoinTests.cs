using System.Net;
using Mesos.Orleans.Client;
using Mesos.Orleans.Grains.Frameworks;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Postgres;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Mesos.Orleans.Testing.Waiting;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Cluster;

/// <summary>Scaling out: a silo started against a running cluster's PostgreSQL joins it and takes its share
/// of the work at once, with no operator step.</summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class SiloJoinTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_silo_joining_a_running_cluster_serves_frameworks_and_takes_new_activations()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartSilosAsync(2, database);
        await cluster.StartAgentAsync("cpus:2;mem:512;disk:512;ports:[31000-31009]");
        await WaitForAgentAsync(cluster, 0);

        await cluster.StartSilosAsync(1, database);
        const int Joined = 2;
        await WaitForAgentAsync(cluster, Joined);

        // A framework that only ever talks to the new silo gets offers and runs a task there.
        await using (var scheduler = await TestScheduler.SubscribeAsync(cluster.MasterUrls[Joined], new FrameworkInfo { User = "root", Name = "joined" }))
        {
            var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
            using (var accepted = await scheduler.CallAsync(Calls.Launch(offer, [Calls.CommandTask(offer, "on-joined", "sleep 600")]), cluster.MasterUrls[Joined]))
            {
                Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            }

            await scheduler.UntilAsync("on-joined", s => s.State == TaskState.TASK_RUNNING, Patience);
            using var http = new HttpClient { Timeout = Patience };
            using var tasks = await http.PostAsync(
                new Uri(cluster.MasterUrls[Joined], "/api/v1"),
                new StringContent(MesosJson.Serialize(new OperatorCall { Type = OperatorCallType.GET_TASKS }), System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, tasks.StatusCode);
            Assert.Contains("on-joined", await tasks.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Grains activated from now on are placed on the new silo too. Orleans places by the silos' load, not at
        // random, so fresh framework grains are activated until one lands there; none ever would if placement
        // did not know the silo.
        await using var client = await ExternalClusterClient.ConnectAsync(database);
        var management = client.Client.GetGrain<IManagementGrain>(0);
        var joinedPort = cluster.SiloPorts[Joined];
        var activated = 0;
        await Eventually.TrueAsync(
            async cancellation =>
            {
                var grain = client.Client.GetGrain<IFrameworkGrain>($"join-probe-{activated++}");
                Assert.Null(await grain.GetFailoverDeadline());
                return (await management.GetActivationAddress(grain, cancellation))?.Endpoint.Port == joinedPort;
            },
            "a new grain activation placed on the joined silo",
            Patience);
        output.WriteLine($"the joined silo took new activation number {activated}");
    }

    private static Task WaitForAgentAsync(MesosCluster cluster, int silo) => Eventually.TrueAsync(
        async _ => (await cluster.GetJsonAsync(new Uri(cluster.MasterUrls[silo], "/master/state")))["activated_slaves"]?.GetValue<int>() == 1,
        $"silo {silo} to see the agent registered",
        Patience);
}
