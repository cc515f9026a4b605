using Mesos.Orleans.Client;
using Mesos.Orleans.Client.Http;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Time;

namespace Mesos.Orleans.UnitTests.ClientLibrary;

/// <summary>Reading a leader out of a redirect, and the scheduler's reconnection backoff on an injected clock.</summary>
public sealed class LeaderAndBackoffTests
{
    [Theory]
    [InlineData("//10.0.0.2:5050", "http://10.0.0.2:5050/")]
    [InlineData("//10.0.0.2:5050/master/api/v1/scheduler", "http://10.0.0.2:5050/")]
    [InlineData("https://leader.example:5443/api/v1", "https://leader.example:5443/")]
    [InlineData("/api/v1", "http://10.0.0.1:5050/")]
    public void The_leader_is_the_scheme_and_authority_of_the_Location(string location, string leader) =>
        Assert.Equal(new Uri(leader), MasterRouter.LeaderFrom(new Uri("http://10.0.0.1:5050/"), new Uri(location, UriKind.RelativeOrAbsolute)));

    [Fact]
    public void Backoff_doubles_up_to_the_maximum_and_starts_over_after_a_reset()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(350));
        Assert.Equal([100, 200, 350, 350], Enumerable.Range(0, 4).Select(_ => backoff.Next().TotalMilliseconds));
        backoff.Reset();
        Assert.Equal(100, backoff.Next().TotalMilliseconds);
    }

    [Fact]
    public async Task The_scheduler_waits_for_its_backoff_on_the_injected_clock_before_subscribing_again()
    {
        var time = new ManualTimeProvider();
        var options = new MesosClientOptions { Masters = { new Uri($"http://127.0.0.1:{FreePort.Next()}") }, MinReconnectDelay = TimeSpan.FromSeconds(1), MaxReconnectDelay = TimeSpan.FromSeconds(4) };
        using var client = new MesosClient(options, time);
        using var stop = new CancellationTokenSource();
        var events = client.CreateScheduler().SubscribeAsync(new FrameworkInfo { User = "root", Name = "backoff" }, stop.Token).GetAsyncEnumerator(stop.Token);

        var delays = new List<TimeSpan>();
        Assert.True(await events.MoveNextAsync());
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var disconnected = Assert.IsType<Disconnected>(events.Current);
            Assert.Contains("127.0.0.1", disconnected.Reason, StringComparison.Ordinal);
            delays.Add(disconnected.RetryIn);

            // The next attempt waits for the whole delay on the injected clock, however long real time runs.
            var next = events.MoveNextAsync();
            time.Advance(disconnected.RetryIn - TimeSpan.FromMilliseconds(1));
            Assert.False(next.IsCompleted);
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(await next);
        }

        Assert.Equal([1, 2, 4, 4], delays.Select(d => d.TotalSeconds));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await events.MoveNextAsync());
        await events.DisposeAsync();
    }
}
