using Mesos.Orleans.Grains.Leadership;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Grains.Registry.Postgres;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Postgres;
using Mesos.Orleans.Testing.Time;
using Mesos.Orleans.Testing.Waiting;
using Npgsql;

namespace Mesos.Orleans.IntegrationTests.Postgres;

/// <summary>The PostgreSQL registry, lease and migrations against a real server.</summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class PostgresRegistryTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Confirm = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Migrations_apply_once_and_leave_every_table_a_DBA_expects()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        var first = await Task.WhenAll(PostgresSchema.MigrateAsync(dataSource, CancellationToken.None), PostgresSchema.MigrateAsync(dataSource, CancellationToken.None));
        Assert.Equal([1, 2, 3, 4, 5], first.SelectMany(applied => applied).Order().ToList());
        Assert.Empty(await PostgresSchema.MigrateAsync(dataSource, CancellationToken.None));

        await using var command = dataSource.CreateCommand("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'");
        Assert.Equal(
            "agents,frameworks,leader_lease,maintenance,masters,orleansmembershiptable,orleansmembershipversiontable,orleansquery,"
            + "orleansreminderstable,orleansstorage,registry_version,reservations,roles,schema_migrations",
            (string)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_lease_grants_growing_terms_only_after_expiry_and_renews_only_for_its_holder()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        await PostgresSchema.MigrateAsync(dataSource, CancellationToken.None);
        await using var a = new PostgresLeaseStore(PostgresConnections.Lease(database, new LeaseTimings()), new LeaseTimings());
        await using var b = new PostgresLeaseStore(PostgresConnections.Lease(database, new LeaseTimings()), new LeaseTimings());

        var first = await a.TryAcquireAsync("a", "a:1", Ttl, CancellationToken.None);
        Assert.Equal(new LeaseObservation(1, "a", "a:1", Acquired: true), first);
        Assert.Equal(new LeaseObservation(1, "a", "a:1", Acquired: false), await b.TryAcquireAsync("b", "b:1", Ttl, CancellationToken.None));
        Assert.True(await a.RenewAsync("a", 1, Ttl, CancellationToken.None));
        Assert.False(await b.RenewAsync("b", 1, Ttl, CancellationToken.None));

        await a.ReleaseAsync("a", 1, CancellationToken.None);
        Assert.Equal(new LeaseObservation(2, "b", "b:1", Acquired: true), await b.TryAcquireAsync("b", "b:1", Ttl, CancellationToken.None));
        Assert.False(await a.RenewAsync("a", 1, Ttl, CancellationToken.None));
    }

    [Fact]
    public async Task A_standby_takes_the_lease_once_the_leaders_session_has_ended_for_the_confirmation_time()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        await PostgresSchema.MigrateAsync(dataSource, CancellationToken.None);
        var clock = new ManualTimeProvider();
        await using var b = new PostgresLeaseStore(PostgresConnections.Lease(database, new LeaseTimings()), Confirm, clock);
        await using (var a = new PostgresLeaseStore(PostgresConnections.Lease(database, new LeaseTimings()), Confirm, clock))
        {
            Assert.True((await a.TryAcquireAsync("a", "a:1", Ttl, CancellationToken.None)).Acquired);
            Assert.False((await b.TryAcquireAsync("b", "b:1", Ttl, CancellationToken.None)).Acquired);
            clock.Advance(Confirm);
            Assert.True(await a.RenewAsync("a", 1, Ttl, CancellationToken.None));
            Assert.False((await b.TryAcquireAsync("b", "b:1", Ttl, CancellationToken.None)).Acquired);
        }

        // The leader's session ended (its process died). Its server process lets go of the lock a moment after
        // the client has closed, so the test waits until it has, as a standby's next look would.
        await using (var locks = dataSource.CreateCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"))
        {
            await Eventually.TrueAsync(async token => (long)(await locks.ExecuteScalarAsync(token))! == 0, "the old leader's lock to be released", TimeSpan.FromSeconds(30));
        }

        // Seen free once, then again a confirmation time later, and the standby leads with the next term
        // although the lease had most of its 30 s left.
        Assert.False((await b.TryAcquireAsync("b", "b:1", Ttl, CancellationToken.None)).Acquired);
        clock.Advance(Confirm);
        Assert.Equal(new LeaseObservation(2, "b", "b:1", Acquired: true), await b.TryAcquireAsync("b", "b:1", Ttl, CancellationToken.None));

        // The old leader, restarted, can neither renew its term nor take the lease from the live new one.
        await using var restarted = new PostgresLeaseStore(PostgresConnections.Lease(database, new LeaseTimings()), Confirm, clock);
        Assert.False(await restarted.RenewAsync("a", 1, Ttl, CancellationToken.None));
        Assert.False((await restarted.TryAcquireAsync("a", "a:1", Ttl, CancellationToken.None)).Acquired);
        clock.Advance(Confirm);
        Assert.False((await restarted.TryAcquireAsync("a", "a:1", Ttl, CancellationToken.None)).Acquired);
    }

    [Fact]
    public async Task A_live_leader_whose_session_was_cut_takes_its_lock_again_and_keeps_the_lease()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        await PostgresSchema.MigrateAsync(dataSource, CancellationToken.None);
        var clock = new ManualTimeProvider();
        await using var a = new PostgresLeaseStore(PostgresConnections.Lease(database, new LeaseTimings()), Confirm, clock);
        await using var b = new PostgresLeaseStore(PostgresConnections.Lease(database, new LeaseTimings()), Confirm, clock);
        Assert.True((await a.TryAcquireAsync("a", "a:1", Ttl, CancellationToken.None)).Acquired);

        // The leader's session is ended under it (as a database restart ends every session). The standby sees
        // the lock free; before the confirmation time is up the leader's next renewal fails on the broken
        // connection and the one after reconnects, takes its lock again and renews: the standby keeps off.
        await using (var terminate = dataSource.CreateCommand(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"))
        {
            Assert.Equal(true, await terminate.ExecuteScalarAsync());
        }

        Assert.False((await b.TryAcquireAsync("b", "b:1", Ttl, CancellationToken.None)).Acquired);
        await Assert.ThrowsAnyAsync<Exception>(() => a.RenewAsync("a", 1, Ttl, CancellationToken.None));
        Assert.True(await a.RenewAsync("a", 1, Ttl, CancellationToken.None));
        clock.Advance(Confirm);
        Assert.False((await b.TryAcquireAsync("b", "b:1", Ttl, CancellationToken.None)).Acquired);
        clock.Advance(Confirm);
        Assert.False((await b.TryAcquireAsync("b", "b:1", Ttl, CancellationToken.None)).Acquired);
        Assert.True(await a.RenewAsync("a", 1, Ttl, CancellationToken.None));
    }

    [Fact]
    public async Task A_write_in_a_stale_term_is_refused_and_stores_nothing()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        await PostgresSchema.MigrateAsync(dataSource, CancellationToken.None);
        await using var lease = new PostgresLeaseStore(PostgresConnections.Lease(database, new LeaseTimings()), new LeaseTimings());
        var term = (await lease.TryAcquireAsync("old", "old:1", Ttl, CancellationToken.None)).Term;
        var old = new PostgresRegistry(dataSource, "old", term);
        await old.SetWeightAsync("before", 2, DateTimeOffset.UtcNow, CancellationToken.None);

        await lease.ReleaseAsync("old", term, CancellationToken.None);
        var newTerm = (await lease.TryAcquireAsync("new", "new:1", Ttl, CancellationToken.None)).Term;
        var stale = await Assert.ThrowsAsync<StaleTermException>(() => old.SetWeightAsync("after", 3, DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Equal(term, stale.Term);
        await Assert.ThrowsAsync<StaleTermException>(() => new PostgresRegistry(dataSource, "reader", term: null).SetWeightAsync("x", 1, DateTimeOffset.UtcNow, CancellationToken.None));

        var current = new PostgresRegistry(dataSource, "new", newTerm);
        var before = await current.ReadVersionAsync(CancellationToken.None);
        await current.SetQuotaAsync(new QuotaConfig { Role = "q", Limits = new() { ["cpus"] = new QuotaValue { Value = 4 } } }, DateTimeOffset.UtcNow, CancellationToken.None);
        await current.AdmitAgentAsync(new AgentId("a1"), new AgentInfo { Hostname = "h1" }, DateTimeOffset.UtcNow, CancellationToken.None);
        await current.SetAgentStateAsync(new AgentId("a1"), AgentRegistryState.Draining, new DrainConfig { MarkGone = true }, DateTimeOffset.UtcNow, CancellationToken.None);
        await current.SetReservationsAsync(new AgentId("a1"), [new ReservationRecord { From = [], To = [] }], DateTimeOffset.UtcNow, CancellationToken.None);
        await current.SetMachineDownAsync("m1", true, DateTimeOffset.UtcNow, CancellationToken.None);

        var snapshot = await current.LoadAsync(CancellationToken.None);
        Assert.Equal(before + 5, snapshot.Version);
        Assert.Equal(["before", "q"], snapshot.Roles.Select(r => r.Role).ToList());
        Assert.Equal(4, snapshot.Roles[1].Quota!.Limits!["cpus"].Value);
        Assert.True(Assert.Single(snapshot.Agents).Drain!.MarkGone);
        Assert.Equal(["m1"], snapshot.DownMachines);
        Assert.Single(snapshot.Reservations);
    }
}
