using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.IntegrationTests.Client;

/// <summary>Masters of an HA group stamp their scheduler streams with the leader term (Mesos-Leader-Term): a
/// client that has followed term 5 does not follow a master still claiming term 3 — a deposed leader that
/// has not yet noticed — and moves on to the next URL.</summary>
public sealed class LeaderTermTests
{
    [Fact]
    public async Task A_subscription_from_an_older_leader_term_is_refused_and_the_next_master_followed()
    {
        await using var deposed = await TermMaster.StartAsync(5, 3); // leads in 5 first, later still claims 3
        await using var current = await TermMaster.StartAsync(6);
        using var client = new MesosClient(new MesosClientOptions { Masters = { deposed.Url, current.Url }, MaxReconnectDelay = TimeSpan.FromMilliseconds(200) });
        var scheduler = client.CreateScheduler(new SchedulerOptions { Reconcile = false });
        await using var events = new EventRecorder<SchedulerEvent>(ct => scheduler.SubscribeAsync(new FrameworkInfo { User = "u", Name = "terms" }, ct));

        var first = await events.NextAsync<Subscribed>();
        Assert.Equal(deposed.Url, first.Master);
        await events.NextAsync<Disconnected>();

        var second = await events.NextAsync<Subscribed>();
        Assert.Equal(current.Url, second.Master);
        Assert.Equal(2, deposed.Subscriptions);
    }

    /// <summary>A master that answers each SUBSCRIBE with the next term of its list, sends SUBSCRIBED and
    /// ends the stream after the first subscription (as a leader that steps down would).</summary>
    private sealed class TermMaster : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _subscriptions;

        private TermMaster(WebApplication app, Uri url)
        {
            _app = app;
            Url = url;
        }

        public Uri Url { get; }

        public int Subscriptions => Volatile.Read(ref _subscriptions);

        public static async Task<TermMaster> StartAsync(params long[] terms)
        {
            var port = Testing.Processes.FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            var app = builder.Build();
            var master = new TermMaster(app, new Uri($"http://127.0.0.1:{port}/"));
            app.MapPost("/api/v1/scheduler", async context =>
            {
                var n = Interlocked.Increment(ref master._subscriptions);
                context.Response.Headers["Mesos-Stream-Id"] = Guid.NewGuid().ToString();
                context.Response.Headers["Mesos-Leader-Term"] = terms[Math.Min(n, terms.Length) - 1].ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.ContentType = "application/json";
                var subscribed = new Event
                {
                    Type = EventType.SUBSCRIBED,
                    Subscribed = new SubscribedEvent { FrameworkId = new FrameworkId("fw-terms"), HeartbeatIntervalSeconds = 15 },
                };
                await context.Response.Body.WriteAsync(RecordIo.Frame(MesosJson.SerializeToUtf8(subscribed)));
                await context.Response.Body.FlushAsync();
                if (n > 1)
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            });
            await app.StartAsync();
            return master;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
