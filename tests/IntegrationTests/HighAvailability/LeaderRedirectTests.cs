using Mesos.Orleans.Grains.Leadership;
using Mesos.Orleans.Grains.Registry.Postgres;
using Mesos.Orleans.Silo.HighAvailability;
using Mesos.Orleans.Testing.Waiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Mesos.Orleans.IntegrationTests.HighAvailability;

/// <summary>What a standby answers for the leader's business, by what its election says: a redirect to the
/// leader it knows, 503 while it knows none, and 503 — not a redirect to itself — once it has been elected and
/// its leader's host is not serving yet.</summary>
public sealed class LeaderRedirectTests
{
    [Fact]
    public async Task A_standby_redirects_to_the_leader_it_knows()
    {
        await using var ha = await ContextAsync(new Lease(holder: "other", address: "10.0.0.9:5050", grant: false), wait: e => e.KnownLeader is not null);

        var (status, location, body) = await AnswerAsync(ha.Context, "/api/v1/agent");

        Assert.Equal(StatusCodes.Status307TemporaryRedirect, status);
        Assert.Equal("//10.0.0.9:5050/api/v1/agent", location);
        Assert.Contains("10.0.0.9:5050", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_standby_that_knows_no_leader_answers_503()
    {
        await using var ha = await ContextAsync(new Lease(holder: null, address: null, grant: false), wait: _ => true);

        var (status, location, body) = await AnswerAsync(ha.Context, "/api/v1/scheduler");

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
        Assert.Null(location);
        Assert.Equal("No leader elected", body);
    }

    [Fact]
    public async Task A_standby_just_elected_answers_503_instead_of_redirecting_to_itself()
    {
        await using var ha = await ContextAsync(new Lease(holder: "me", address: "127.0.0.1:5050", grant: true), wait: e => e.CurrentTerm is not null);

        var (status, location, body) = await AnswerAsync(ha.Context, "/api/v1/agent");

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
        Assert.Null(location);
        Assert.Equal("This master is taking over as leader", body);
    }

    private static async Task<(int Status, string? Location, string Body)> AnswerAsync(HaContext ha, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        using var body = new MemoryStream();
        context.Response.Body = body;
        await LeaderRedirect.WriteAsync(context, ha);
        var location = context.Response.Headers.Location.ToString();
        return (context.Response.StatusCode, location.Length == 0 ? null : location, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    private static async Task<RunningElection> ContextAsync(Lease lease, Func<LeaseElector, bool> wait)
    {
        // Nothing here opens a connection: the membership and the warm copy are never asked.
        var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=unused");
        var timings = new LeaseTimings();
        var elector = new LeaseElector(lease, "me", "127.0.0.1:5050", timings, TimeProvider.System, NullLogger<LeaseElector>.Instance);
        var stop = new CancellationTokenSource();
        var running = elector.RunAsync(stop.Token);
        await Eventually.TrueAsync(_ => Task.FromResult(lease.Asked && wait(elector)), "the election to have run", TimeSpan.FromSeconds(30));
        var context = new HaContext(
            "me",
            new HaOptions("Host=127.0.0.1;Port=1", timings),
            elector,
            new PostgresMembership(dataSource, "me", "127.0.0.1", "127.0.0.1", 5050),
            new WarmRegistry(new PostgresRegistry(dataSource, "me", term: null), TimeProvider.System, NullLogger<WarmRegistry>.Instance));
        return new RunningElection(context, stop, running, dataSource);
    }

    private sealed record RunningElection(HaContext Context, CancellationTokenSource Stop, Task Running, NpgsqlDataSource DataSource) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Running;
            Stop.Dispose();
            await DataSource.DisposeAsync();
        }
    }

    /// <summary>A lease row that always says the same: held by <c>holder</c>, or granted to whoever asks.</summary>
    private sealed class Lease(string? holder, string? address, bool grant) : ILeaseStore
    {
        private volatile bool _asked;

        public bool Asked => _asked;

        public Task<LeaseObservation> TryAcquireAsync(string candidate, string address1, TimeSpan ttl, CancellationToken cancellationToken)
        {
            _asked = true;
            return Task.FromResult(grant ? new LeaseObservation(1, candidate, address1, Acquired: true) : new LeaseObservation(holder is null ? 0 : 1, holder, address, Acquired: false));
        }

        public Task<bool> RenewAsync(string holder1, long term, TimeSpan ttl, CancellationToken cancellationToken) => Task.FromResult(grant);

        public Task ReleaseAsync(string holder1, long term, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
