using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Client;

/// <summary>The client finds the leader among several URLs: past masters that are down, that know no leader
/// (503), or that redirect to the leader (307), for operator calls, the scheduler and /redirect.</summary>
public sealed class LeaderFollowingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Calls_and_subscriptions_reach_the_leader_past_a_dead_master_one_without_a_leader_and_a_redirecting_standby()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var noLeader = await StandbyMaster.StartAsync(leader: null);
        await using var standby = await StandbyMaster.StartAsync(cluster.Master);
        var dead = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        using var client = new MesosClient(new MesosClientOptions { Masters = { dead, noLeader.Url, standby.Url } });

        Assert.Single(await client.Agents.ListAsync());
        Assert.Equal(new Uri(cluster.Master, "/"), client.Leader);

        var scheduler = client.CreateScheduler();
        await using var events = new EventRecorder<SchedulerEvent>(ct => scheduler.SubscribeAsync(new FrameworkInfo { User = "root", Name = "follower" }, ct));
        var subscribed = await events.NextAsync<Subscribed>();
        Assert.Equal(new Uri(cluster.Master, "/"), subscribed.Master);
        await events.NextAsync<OffersReceived>();
    }

    [Fact]
    public async Task FindLeader_asks_redirect_and_reports_when_no_master_knows_a_leader()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 0);
        await using var standby = await StandbyMaster.StartAsync(cluster.Master);
        await using var noLeader = await StandbyMaster.StartAsync(leader: null);

        using (var client = new MesosClient(new MesosClientOptions { Masters = { noLeader.Url, standby.Url } }))
        {
            Assert.Equal(new Uri(cluster.Master, "/"), await client.FindLeaderAsync());
        }

        using var lost = new MesosClient(new MesosClientOptions { Masters = { noLeader.Url } });
        var none = await Assert.ThrowsAsync<MesosConnectionException>(() => lost.FindLeaderAsync());
        Assert.Contains("503", none.Message, StringComparison.Ordinal);
        var call = await Assert.ThrowsAsync<MesosConnectionException>(() => lost.Frameworks.ListAsync());
        Assert.Contains("No leader elected", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scheduler_reports_disconnected_and_retries_while_no_master_leads_then_subscribes()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 0);
        await using var noLeader = await StandbyMaster.StartAsync(leader: null);
        var options = new MesosClientOptions { Masters = { noLeader.Url }, MinReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) };
        using var client = new MesosClient(options);
        var scheduler = client.CreateScheduler();
        await using var events = new EventRecorder<SchedulerEvent>(ct => scheduler.SubscribeAsync(new FrameworkInfo { User = "root", Name = "patient" }, ct));

        var first = await events.NextAsync<Disconnected>();
        var second = await events.NextAsync<Disconnected>();
        Assert.Contains("No leader elected", first.Reason, StringComparison.Ordinal);
        Assert.True(second.RetryIn > first.RetryIn, "the backoff grows");

        noLeader.Leader = cluster.Master;
        var subscribed = await events.NextAsync<Subscribed>();
        Assert.Equal(new Uri(cluster.Master, "/"), subscribed.Master);
        Assert.False(subscribed.IsResubscription);
    }
}
