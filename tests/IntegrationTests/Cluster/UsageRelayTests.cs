using System.Net;
using Mesos.Orleans.IntegrationTests.Usage;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Testing.Postgres;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Waiting;
using Xunit.Abstractions;
using static Mesos.Orleans.IntegrationTests.Usage.UsageEndpoints;

namespace Mesos.Orleans.IntegrationTests.Cluster;

/// <summary>Usage reports sent to a silo that does not run the master (an agent behind a load balancer) reach
/// the master, with the bounds and answers of the master's own endpoint.</summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class UsageRelayTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_silo_without_the_master_passes_usage_reports_and_streams_on_and_refuses_oversized_ones()
    {
        await using var cluster = MesosCluster.Create(output);
        await cluster.StartSilosAsync(2, await postgres.CreateDatabaseAsync());
        var hosting = await cluster.MasterSiloAsync(Patience);
        var relaying = cluster.MasterUrls[1 - hosting];
        await using var agent = await FakeAgent.SubscribeAsync(cluster.MasterUrls[hosting], usageAt: relaying);

        Assert.Equal(HttpStatusCode.Accepted, await agent.PostUsageAsync(agent.Report(tasks: 2)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await agent.PostUsageAsync(agent.Report(tasks: 20_000)));
        Assert.Equal(1, await MetricAsync(cluster, "master/usage/reports_accepted"));
        await Eventually.TrueAsync(async _ => await MetricAsync(cluster, "master/usage/reports_rejected") == 1, "the relay's refusal to be counted at the master", Patience);

        using var content = new RecordIoStreamContent();
        var stream = agent.OpenUsageStreamAsync(content, toReceiver: false);
        content.Send(agent.Report(tasks: 1));
        await Eventually.TrueAsync(async _ => await MetricAsync(cluster, "master/usage/reports_accepted") == 2, "the streamed report to reach the master", Patience);
        content.Send(agent.Report(tasks: 3));
        await Eventually.TrueAsync(async _ => await MetricAsync(cluster, "master/usage/reports_accepted") == 3, "the second streamed report to reach the master", Patience);
        Assert.False(stream.IsCompleted, "the relayed stream stays open between reports");
    }

    private static async Task<double> MetricAsync(MesosCluster cluster, string name) =>
        (await OperatorAsync(cluster, OperatorCallType.GET_METRICS)).GetMetrics!.Metrics!.Single(m => m.Name == name).Value ?? 0;
}
