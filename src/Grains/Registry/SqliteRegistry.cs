using System.Globalization;
using System.Reflection;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Data.Sqlite;

namespace Mesos.Orleans.Grains.Registry;

/// <summary>The embedded default registry: one SQLite file under the master's work directory
/// (single master, no HA). Schema: sql/sqlite/0001_registry.sql, embedded in this assembly.</summary>
public sealed class SqliteRegistry : IRegistry
{
    private readonly string _connectionString;

    private SqliteRegistry(string connectionString) => _connectionString = connectionString;

    public static async Task<SqliteRegistry> OpenAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var registry = new SqliteRegistry(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString());
        await using var connection = await registry.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;" + ReadSchema();
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return registry;
    }

    public async Task<RegistrySnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var agents = new List<RegisteredAgent>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT agent_id, info_json, state FROM agents ORDER BY registered_at";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                agents.Add(new RegisteredAgent(
                    new AgentId(reader.GetString(0)),
                    MesosJson.Deserialize<AgentInfo>(reader.GetString(1)) ?? new AgentInfo(),
                    reader.GetString(2)));
            }
        }

        var frameworks = new List<RegisteredFramework>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT framework_id, info_json, removed_at IS NOT NULL FROM frameworks ORDER BY registered_at";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                frameworks.Add(new RegisteredFramework(
                    new FrameworkId(reader.GetString(0)),
                    MesosJson.Deserialize<FrameworkInfo>(reader.GetString(1)) ?? new FrameworkInfo(),
                    reader.GetBoolean(2)));
            }
        }

        return new RegistrySnapshot(agents, frameworks);
    }

    public Task AdmitAgentAsync(AgentId id, AgentInfo info, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO agents (agent_id, hostname, info_json, state, registered_at) VALUES ($id, $hostname, $info, 'active', $at)
            ON CONFLICT (agent_id) DO UPDATE SET hostname = excluded.hostname, info_json = excluded.info_json, state = 'active'
            """,
            cancellationToken,
            ("$id", id.Value),
            ("$hostname", info.Hostname ?? string.Empty),
            ("$info", MesosJson.Serialize(info)),
            ("$at", Timestamp(at)));

    public Task AddFrameworkAsync(FrameworkId id, FrameworkInfo info, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO frameworks (framework_id, info_json, failover_timeout, registered_at) VALUES ($id, $info, $timeout, $at)
            ON CONFLICT (framework_id) DO UPDATE SET info_json = excluded.info_json, failover_timeout = excluded.failover_timeout
            """,
            cancellationToken,
            ("$id", id.Value),
            ("$info", MesosJson.Serialize(info)),
            ("$timeout", info.FailoverTimeout ?? 0),
            ("$at", Timestamp(at)));

    public Task RemoveFrameworkAsync(FrameworkId id, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE frameworks SET removed_at = $at WHERE framework_id = $id",
            cancellationToken,
            ("$id", id.Value),
            ("$at", Timestamp(at)));

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static string ReadSchema()
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = assembly.GetManifestResourceStream("sqlite.0001_registry.sql")
            ?? throw new InvalidOperationException("The SQLite schema is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
