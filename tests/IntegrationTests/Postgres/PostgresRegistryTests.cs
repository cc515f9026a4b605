using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Grains.Registry.Postgres;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Postgres;
using Mesos.Orleans.Testing.Waiting;
using Npgsql;

namespace Mesos.Orleans.IntegrationTests.Postgres;

/// <summary>The PostgreSQL registry, the master's incarnations and the migrations against a real server.</summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class PostgresRegistryTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migrations_apply_once_and_leave_every_table_a_DBA_expects()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        var first = await Task.WhenAll(PostgresSchema.MigrateAsync(dataSource, CancellationToken.None), PostgresSchema.MigrateAsync(dataSource, CancellationToken.None));
        Assert.Equal([1, 2, 3, 4, 5, 6], first.SelectMany(applied => applied).Order().ToList());
        Assert.Empty(await PostgresSchema.MigrateAsync(dataSource, CancellationToken.None));

        await using var command = dataSource.CreateCommand("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'");
        Assert.Equal(
            "agents,frameworks,maintenance,master_incarnation,orleansmembershiptable,orleansmembershipversiontable,orleansquery,"
            + "orleansreminderstable,orleansstorage,reservations,roles,schema_migrations",
            (string)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Each_claim_gets_a_higher_term_even_when_claims_race()
    {
        await using var dataSource = await MigratedAsync();

        var terms = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => MasterIncarnation.ClaimAsync(dataSource, $"m{i}", "127.0.0.1:5050", CancellationToken.None)));

        Assert.Equal(Enumerable.Range(1, 8).Select(t => (long)t), terms.Order());
    }

    [Fact]
    public async Task A_write_in_a_stale_term_is_refused_and_stores_nothing()
    {
        await using var dataSource = await MigratedAsync();
        var term = await MasterIncarnation.ClaimAsync(dataSource, "old", "old:1", CancellationToken.None);
        var old = new PostgresRegistry(dataSource, "old", term);
        await old.SetWeightAsync("before", 2, DateTimeOffset.UtcNow, CancellationToken.None);

        var newTerm = await MasterIncarnation.ClaimAsync(dataSource, "new", "new:1", CancellationToken.None);
        var stale = await Assert.ThrowsAsync<StaleTermException>(() => old.SetWeightAsync("after", 3, DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Equal(term, stale.Term);

        var current = new PostgresRegistry(dataSource, "new", newTerm);
        await current.SetQuotaAsync(new QuotaConfig { Role = "q", Limits = new() { ["cpus"] = new QuotaValue { Value = 4 } } }, DateTimeOffset.UtcNow, CancellationToken.None);
        await current.AdmitAgentAsync(new AgentId("a1"), new AgentInfo { Hostname = "h1" }, DateTimeOffset.UtcNow, CancellationToken.None);
        await current.SetAgentStateAsync(new AgentId("a1"), AgentRegistryState.Draining, new DrainConfig { MarkGone = true }, DateTimeOffset.UtcNow, CancellationToken.None);
        await current.SetReservationsAsync(new AgentId("a1"), [new ReservationRecord { From = [], To = [] }], DateTimeOffset.UtcNow, CancellationToken.None);
        await current.SetMachineDownAsync("m1", true, DateTimeOffset.UtcNow, CancellationToken.None);

        var snapshot = await current.LoadAsync(CancellationToken.None);
        Assert.Equal(["before", "q"], snapshot.Roles.Select(r => r.Role).ToList());
        Assert.Equal(4, snapshot.Roles[1].Quota!.Limits!["cpus"].Value);
        Assert.True(Assert.Single(snapshot.Agents).Drain!.MarkGone);
        Assert.Equal(["m1"], snapshot.DownMachines);
        Assert.Single(snapshot.Reservations);
    }

    [Fact]
    public async Task A_claim_waits_for_a_write_in_flight_under_the_old_term_which_then_commits()
    {
        await using var dataSource = await MigratedAsync();
        var term = await MasterIncarnation.ClaimAsync(dataSource, "old", "old:1", CancellationToken.None);

        // An old-term write holds the incarnation row FOR SHARE inside its transaction.
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var fence = new NpgsqlCommand("SELECT 1 FROM master_incarnation WHERE id = 1 AND term = @term FOR SHARE", connection, transaction))
        {
            fence.Parameters.AddWithValue("term", term);
            Assert.NotNull(await fence.ExecuteScalarAsync());
        }

        var claim = MasterIncarnation.ClaimAsync(dataSource, "new", "new:1", CancellationToken.None);
        await Eventually.TrueAsync(
            async () =>
            {
                await using var waiting = dataSource.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE master_incarnation%'");
                return (long)(await waiting.ExecuteScalarAsync())! > 0;
            },
            "the claim to wait on the old term's lock",
            TimeSpan.FromSeconds(10));
        Assert.False(claim.IsCompleted);
        await transaction.CommitAsync();
        Assert.Equal(term + 1, await claim.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private async Task<NpgsqlDataSource> MigratedAsync()
    {
        var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await PostgresSchema.MigrateAsync(dataSource, CancellationToken.None);
        return dataSource;
    }
}
