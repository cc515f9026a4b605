using System.Net;
using System.Net.Sockets;
using Mesos.Orleans.AgentHost.Connection;
using Mesos.Orleans.Interfaces.Agent;

namespace Mesos.Orleans.UnitTests.Agent;

/// <summary>The agent's HTTP client to the master, against a master that hangs: a listening socket whose
/// process never answers (as a stopped silo's kernel still accepts connections).</summary>
public sealed class MasterClientTests
{
    [Fact]
    public async Task A_subscribe_to_a_master_that_never_answers_gives_up_after_its_timeout()
    {
        using var hung = new TcpListener(IPAddress.Loopback, 0);
        hung.Start();
        var master = new Uri($"http://127.0.0.1:{((IPEndPoint)hung.LocalEndpoint).Port}");
        using var client = new MasterClient([master], subscribeTimeout: TimeSpan.FromMilliseconds(300));
        using var test = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var subscribe = client.SubscribeAsync(new AgentCall { Type = AgentCallType.SUBSCRIBE }, CancellationToken.None);

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => subscribe.WaitAsync(test.Token));
        Assert.False(test.IsCancellationRequested, "the subscription waited until the test's own deadline");
        Assert.NotEqual(test.Token, error.CancellationToken);
    }
}
