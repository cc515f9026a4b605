using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Grains.Storage;
using Mesos.Orleans.Grains.Storage.Postgres;
using Mesos.Orleans.IntegrationTests.Cluster;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Silo.Cluster;
using Mesos.Orleans.Testing.Orleans;
using Mesos.Orleans.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;

namespace Mesos.Orleans.IntegrationTests.Postgres;

/// <summary>The migrations, and the master's records as grain state in a real PostgreSQL: written through the
/// grains by Orleans' ADO.NET storage, read back by the catalog in one query per kind, fenced by the term.</summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class PostgresRecordsTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch;

    [Fact]
    public async Task Migrations_apply_once_and_leave_every_table_a_DBA_expects()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        var first = await Task.WhenAll(PostgresSchema.MigrateAsync(dataSource, CancellationToken.None), PostgresSchema.MigrateAsync(dataSource, CancellationToken.None));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], first.SelectMany(applied => applied).Order().ToList());
        Assert.Empty(await PostgresSchema.MigrateAsync(dataSource, CancellationToken.None));

        await using var command = dataSource.CreateCommand("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'");
        Assert.Equal(
            "orleansmembershiptable,orleansmembershipversiontable,orleansquery,orleansreminderstable,orleansstorage,schema_migrations",
            (string)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Records_are_read_back_in_one_query_per_kind_and_a_stale_term_writes_nothing()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using (var migrate = NpgsqlDataSource.Create(database))
        {
            await PostgresSchema.MigrateAsync(migrate, CancellationToken.None);
        }

        await using var cluster = new PostgresSiloCluster(database);
        var silo = await cluster.StartSiloAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var catalog = new PostgresGrainStateCatalog(dataSource, SiloSetup.ServiceId, silo.Services.GetRequiredService<IGrainStorageSerializer>());
        var grains = silo.Services.GetRequiredService<IGrainFactory>();

        await TermClaims.ClaimAsync(silo.Services, 1);
        var old = new GrainRegistry(1, grains, catalog);
        await old.AdmitAgentAsync(new AgentId("a1"), new AgentInfo { Hostname = "h1" }, Start, CancellationToken.None);
        await old.SetAgentStateAsync(new AgentId("a1"), AgentRegistryState.Draining, new DrainConfig { MarkGone = true }, Start, CancellationToken.None);
        await old.SetReservationsAsync(new AgentId("a1"), [new ReservationRecord()], Start, CancellationToken.None);
        await old.AddFrameworkAsync(new FrameworkId("f1"), new FrameworkInfo { User = "u", Name = "f" }, Start, CancellationToken.None);
        await old.SetWeightAsync("before", 2, Start, CancellationToken.None);
        await old.SetMachineDownAsync("m1", true, Start, CancellationToken.None);

        await TermClaims.ClaimAsync(silo.Services, 2);
        Assert.Equal(2, await StoredRecords.TermAsync(database));
        Assert.Equal(1, (await Assert.ThrowsAsync<StaleTermException>(() => old.SetWeightAsync("after", 3, Start, CancellationToken.None))).Term);
        await Assert.ThrowsAsync<StaleTermException>(() => old.RemoveFrameworkAsync(new FrameworkId("f1"), Start, CancellationToken.None));
        Assert.Null(await StoredRecords.WeightAsync(database, "after"));

        var current = new GrainRegistry(2, grains, catalog);
        await current.SetQuotaAsync(new QuotaConfig { Role = "q", Limits = new() { ["cpus"] = new QuotaValue { Value = 4 } } }, Start, CancellationToken.None);
        var snapshot = await current.LoadAsync(CancellationToken.None);
        Assert.Equal(["before", "q"], snapshot.Roles.Select(r => r.Role).ToList());
        Assert.Equal(4, snapshot.Roles[1].Quota!.Limits!["cpus"].Value);
        Assert.Equal(2, await StoredRecords.WeightAsync(database, "before"));
        var agent = Assert.Single(snapshot.Agents);
        Assert.Equal(("a1", "h1", "draining", true), (agent.Id.Value, agent.Info.Hostname, agent.State, agent.Drain!.MarkGone));
        Assert.False(Assert.Single(snapshot.Frameworks).Removed);
        Assert.Equal(["m1"], snapshot.DownMachines);
        Assert.Single(snapshot.Reservations);
    }
}
