using Mesos.Orleans.IntegrationTests.Compatibility;
using Mesos.Orleans.Testing.Postgres;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Waiting;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Cluster;

/// <summary>An unmodified Mesos client against three silos on PostgreSQL, connected to a silo that does not run
/// the master: its event stream is relayed by that silo and each of its calls crosses to the master's silo.</summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class CrossSiloCompatibilityTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Unmodified_mesos_framework_runs_a_task_through_a_silo_that_does_not_run_the_master()
    {
        await NodeTooling.EnsureInstalledAsync(output);
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartSilosAsync(3, await postgres.CreateDatabaseAsync());
        await cluster.StartAgentAsync("cpus:2;mem:512;disk:512;ports:[31000-31009]");
        var hosting = await cluster.MasterSiloAsync(Patience);
        var other = cluster.MasterUrls[(hosting + 1) % cluster.MasterUrls.Count];
        await Eventually.TrueAsync(
            async _ => (await cluster.GetJsonAsync(new Uri(other, "/master/state")))["activated_slaves"]?.GetValue<int>() == 1,
            "the agent to register with the master",
            Patience);

        var run = await NpmClients.RunFrameworkAsync(cluster, output, "cross-silo", "relay", "echo relayed", lingerSeconds: 0, master: other);

        var (frameworkId, taskId) = MesosFrameworkClientTests.AssertRanToFinished(run, "cross-silo", "relay");

        // Its acknowledgement crossed silos too: the master moves the task to completed_tasks only once it has it.
        await Eventually.TrueAsync(
            async _ => (await cluster.GetJsonAsync(new Uri(other, "/master/state")))["frameworks"]!.AsArray()
                .Single(f => f!["id"]!.GetValue<string>() == frameworkId)!["completed_tasks"]!.AsArray()
                .Any(t => t!["id"]!.GetValue<string>() == taskId),
            $"{taskId} acknowledged and completed at the master",
            Patience);
    }
}
