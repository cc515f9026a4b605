using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Time;
using Mesos.Orleans.Testing.Waiting;
using Mesos.Orleans.UnitTests.Master;
using Microsoft.Data.Sqlite;

namespace Mesos.Orleans.UnitTests.Registry;

/// <summary>What operators set survives a master restart (or a takeover, which recovers the same way):
/// weights, quotas, maintenance, agent states; agents that do not come back become unreachable.</summary>
public sealed class RegistryRecoveryTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("registry-recovery-");

    private string DbPath => Path.Combine(_dir.FullName, "registry.db");

    [Fact]
    public async Task Weights_quota_maintenance_and_agent_states_are_recovered()
    {
        AgentId drained, deactivated, gone;
        await using var silo = await RecordSilo.StartAsync(DbPath);
        await using (var first = await MasterFixture.StartAsync(registry: silo.Registry(term: 0)))
        {
            drained = (await first.AddAgentAsync(host: "a1")).Id;
            deactivated = (await first.AddAgentAsync(host: "a2")).Id;
            gone = (await first.AddAgentAsync(host: "a3")).Id;
            Assert.Equal(200, (await first.Master.UpdateWeightsAsync(new UpdateWeightsCall { WeightInfos = [new WeightInfo { Role = "analytics", Weight = 2.5 }] })).StatusCode);
            Assert.Equal(200, (await first.Master.UpdateQuotaAsync(new UpdateQuotaCall
            {
                Force = true,
                QuotaConfigs = [new QuotaConfig { Role = "analytics", Guarantees = new() { ["cpus"] = new QuotaValue { Value = 1 } } }],
            })).StatusCode);
            Assert.Equal(200, (await first.Master.StartMaintenanceAsync(new MaintenanceMachinesCall { Machines = [new MachineId { Hostname = "down-host" }] })).StatusCode);
            Assert.Equal(200, (await first.Master.DrainAgentAsync(new DrainAgentCall { AgentId = drained })).StatusCode);
            Assert.Equal(200, (await first.Master.DeactivateAgentAsync(deactivated)).StatusCode);
            Assert.Equal(200, (await first.Master.MarkAgentGoneAsync(gone)).StatusCode);
        }

        var snapshot = await silo.Registry(term: 0).LoadAsync(CancellationToken.None);
        Assert.Equal(
            [(drained.Value, "draining"), (deactivated.Value, "deactivated"), (gone.Value, "gone")],
            snapshot.Agents.Select(a => (a.Id.Value, a.State)).ToList());

        await using var second = await MasterFixture.StartAsync(registry: silo.Registry(term: 0));
        var weights = await second.Master.GetWeightsAsync();
        Assert.Equal(2.5, Assert.Single(weights.WeightInfos!, w => w.Role == "analytics").Weight);
        var quota = Assert.Single((await second.Master.GetQuotaAsync()).Status!.Configs!);
        Assert.Equal(1, quota.Guarantees!["cpus"].Value);
        Assert.Contains("down-host", await second.Master.GetDownMachinesAsync());

        // A gone agent stays refused; a deactivated one comes back deactivated.
        var refused = await second.Master.SubscribeAgentAsync(AgentCall(gone, "a3"));
        Assert.Equal(403, refused.Error?.StatusCode);
        var back = await second.Master.SubscribeAgentAsync(AgentCall(deactivated, "a2"));
        Assert.Null(back.Error);
        var agents = await second.Master.GetAgentsAsync();
        Assert.True(Assert.Single(agents.Agents!, a => a.AgentInfo!.Id == deactivated).Deactivated);
    }

    [Fact]
    public async Task Agents_that_do_not_reregister_in_time_are_marked_unreachable()
    {
        var clock = new ManualTimeProvider();
        AgentId id;
        await using var silo = await RecordSilo.StartAsync(DbPath);
        await using (var first = await MasterFixture.StartAsync(registry: silo.Registry(term: 0), clock: clock))
        {
            id = (await first.AddAgentAsync()).Id;
        }

        var options = new MasterOptions { AgentReregisterTimeout = TimeSpan.FromMinutes(10) };
        await using var second = await MasterFixture.StartAsync(options, silo.Registry(term: 0), clock);
        Assert.Equal(1, await second.Master.RecoveredAgentCountAsync());
        clock.Advance(TimeSpan.FromMinutes(10));
        await Eventually.TrueAsync(async _ => await second.Master.RecoveredAgentCountAsync() == 0, "the recovered agent to time out", MasterFixture.Patience);
        await Eventually.TrueAsync(
            async ct => (await silo.Registry(term: 0).LoadAsync(ct)).Agents.Single().State == "unreachable",
            "the agent's grain to record it unreachable",
            MasterFixture.Patience);
        Assert.Equal(id, (await silo.Registry(term: 0).LoadAsync(CancellationToken.None)).Agents.Single().Id);
    }

    [Fact]
    public async Task A_file_of_the_first_schema_is_migrated_and_its_registry_tables_dropped()
    {
        await using (var connection = new SqliteConnection($"Data Source={DbPath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY);
                CREATE TABLE agents (agent_id TEXT NOT NULL PRIMARY KEY, hostname TEXT NOT NULL, info_json TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'active', registered_at TEXT NOT NULL);
                CREATE TABLE frameworks (framework_id TEXT NOT NULL PRIMARY KEY, info_json TEXT NOT NULL, failover_timeout REAL NOT NULL DEFAULT 0, registered_at TEXT NOT NULL, removed_at TEXT NULL);
                INSERT INTO schema_version VALUES (1);
                INSERT INTO agents VALUES ('old', 'h', '{"hostname":"h"}', 'active', '2026-01-01');
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using (var silo = await RecordSilo.StartAsync(DbPath))
        {
            var registry = silo.Registry(term: 0);
            await registry.SetWeightAsync("r", 3, DateTimeOffset.UnixEpoch, CancellationToken.None);
            Assert.Equal(3, Assert.Single((await registry.LoadAsync(CancellationToken.None)).Roles).Weight);
        }

        await using var check = new SqliteConnection($"Data Source={DbPath}");
        await check.OpenAsync();
        await using var tables = check.CreateCommand();
        tables.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)";
        Assert.Equal("grain_state,reminders,schema_version", await tables.ExecuteScalarAsync());
        tables.CommandText = "SELECT group_concat(version, ',') FROM (SELECT version FROM schema_version ORDER BY version)";
        Assert.Equal("1,2,3,4,5", await tables.ExecuteScalarAsync());
    }

    private static Interfaces.Agent.AgentCall AgentCall(AgentId id, string host) => new()
    {
        Type = Interfaces.Agent.AgentCallType.SUBSCRIBE,
        AgentId = id,
        Subscribe = new Interfaces.Agent.AgentSubscribe
        {
            AgentInfo = new AgentInfo { Id = id, Hostname = host, Resources = Interfaces.Resources.ResourceBag.Parse("cpus:4;mem:4096").ToWire(Interfaces.Resources.ResourceFormat.Endpoint) },
            AgentUrl = new Url { Scheme = "http", Address = new Address { Hostname = host, Ip = "127.0.0.1", Port = 5051 } },
        },
    };

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }
}
