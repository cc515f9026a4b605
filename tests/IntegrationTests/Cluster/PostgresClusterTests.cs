using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Storage.Postgres;
using Mesos.Orleans.Silo.Cluster;
using Mesos.Orleans.Testing.Orleans;
using Mesos.Orleans.Testing.Postgres;
using Mesos.Orleans.Testing.Waiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Mesos.Orleans.IntegrationTests.Cluster;

/// <summary>Silos clustered through a real PostgreSQL with the Orleans ADO.NET providers reading our
/// migrations' queries (sql/postgres 0002-0005): membership, grain state, reminders and gateways.</summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class PostgresClusterTests(PostgresFixture postgres)
{
    private async Task<string> MigratedDatabaseAsync()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        await PostgresSchema.MigrateAsync(dataSource, CancellationToken.None);
        return database;
    }

    [Fact]
    public async Task The_migrations_hold_every_query_the_providers_ask_for()
    {
        await using var dataSource = NpgsqlDataSource.Create(await MigratedDatabaseAsync());
        await using var command = dataSource.CreateCommand("SELECT querykey FROM orleansquery ORDER BY querykey");
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Equal(
            ["CleanupDefunctSiloEntriesKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
             "DeleteStorageKey", "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey",
             "ReadFromStorageKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey", "ReadReminderRowsKey", "UpdateIAmAlivetimeKey",
             "UpdateMembershipKey", "UpsertReminderRowKey", "WriteToStorageKey"],
            keys);
    }

    [Fact]
    public async Task Two_silos_form_one_cluster_and_a_grain_keeps_its_state_when_its_silo_leaves()
    {
        var database = await MigratedDatabaseAsync();
        await using var cluster = new PostgresSiloCluster(database);
        var first = await cluster.StartSiloAsync();
        var second = await cluster.StartSiloAsync();

        await Eventually.TrueAsync(async () => await ActiveSilosAsync(database) == 2, "both silos to be active in the membership table", TimeSpan.FromSeconds(60));
        var management = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        Assert.Equal(2, (await management.GetHosts(onlyActive: true)).Count);

        var probe = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>("pg-survivor");
        await probe.IncrementAsync();
        await probe.IncrementAsync();
        var hostingSilo = await probe.SiloAsync();
        var (leaving, staying) = hostingSilo == Address(first) ? (first, second) : (second, first);

        await leaving.StopAsync();

        var again = staying.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>("pg-survivor");
        Assert.Equal(3, await again.IncrementAsync());
        Assert.Equal(Address(staying), await again.SiloAsync());
    }

    [Fact]
    public async Task Grain_state_is_fenced_by_its_version_in_postgres()
    {
        var database = await MigratedDatabaseAsync();
        await using var cluster = new PostgresSiloCluster(database);
        var silo = await cluster.StartSiloAsync();
        var probe = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>("pg-fenced");
        Assert.Equal(1, await probe.IncrementAsync());

        // Another writer (a duplicate activation) moves the stored version on under the activation.
        await using (var dataSource = NpgsqlDataSource.Create(database))
        await using (var bump = dataSource.CreateCommand("UPDATE orleansstorage SET version = version + 1, payloadbinary = convert_to('{\"Count\":10,\"Reminded\":0}', 'UTF8') WHERE graintypestring = 'probe'"))
        {
            Assert.Equal(1, await bump.ExecuteNonQueryAsync());
        }

        await Assert.ThrowsAsync<InconsistentStateException>(probe.IncrementAsync);
        Assert.Equal(11, await probe.IncrementAsync());
    }

    [Fact]
    public async Task A_reminder_fires_from_the_postgres_reminder_table()
    {
        var database = await MigratedDatabaseAsync();
        await using var cluster = new PostgresSiloCluster(database);
        var silo = await cluster.StartSiloAsync();
        var probe = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>("pg-reminded");

        await probe.ArmReminderAsync(due: TimeSpan.FromSeconds(1), period: TimeSpan.FromMinutes(1));

        await Eventually.TrueAsync(async () => (await probe.ReadAsync()).Reminded >= 1, "the reminder to fire", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
        await probe.DisarmReminderAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM orleansreminderstable");
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_external_client_finds_the_gateways_in_postgres_and_calls_a_grain()
    {
        var database = await MigratedDatabaseAsync();
        await using var cluster = new PostgresSiloCluster(database);
        var silo = await cluster.StartSiloAsync();
        await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>("pg-client").IncrementAsync();

        await using var client = await ExternalClusterClient.ConnectAsync(database);
        var probe = client.Client.GetGrain<IProbeGrain>("pg-client");
        Assert.Equal(2, await probe.IncrementAsync());
    }

    private static string Address(IHost silo) => silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();

    private static async Task<long> ActiveSilosAsync(string database)
    {
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM orleansmembershiptable WHERE status = 3");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
