using System.Data.Common;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Registry;

/// <summary>The registry's tables and statements, shared by SQLite and PostgreSQL (the SQL here is the
/// common dialect of both: <c>@name</c> parameters, <c>ON CONFLICT … DO UPDATE</c>). Each write runs in
/// its own transaction, which a subclass may fence (<see cref="BeginWriteAsync"/>).</summary>
public abstract class SqlRegistry : IRegistry
{
    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Called first inside every write transaction; a shared registry checks the writer's term here.</summary>
    protected virtual Task BeginWriteAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public async Task<RegistrySnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var agents = await QueryAsync(connection, transaction, "SELECT agent_id, info_json, state, drain_json FROM agents ORDER BY registered_at, agent_id", r => new RegisteredAgent(
            new AgentId(r.GetString(0)),
            MesosJson.Deserialize<AgentInfo>(r.GetString(1)) ?? new AgentInfo(),
            r.GetString(2))
        {
            Drain = r.IsDBNull(3) ? null : MesosJson.Deserialize<DrainConfig>(r.GetString(3)),
        }, cancellationToken).ConfigureAwait(false);
        var frameworks = await QueryAsync(connection, transaction, "SELECT framework_id, info_json, removed_at IS NOT NULL FROM frameworks ORDER BY registered_at, framework_id", r => new RegisteredFramework(
            new FrameworkId(r.GetString(0)),
            MesosJson.Deserialize<FrameworkInfo>(r.GetString(1)) ?? new FrameworkInfo(),
            r.GetBoolean(2)), cancellationToken).ConfigureAwait(false);
        var roles = await QueryAsync(connection, transaction, "SELECT role, weight, quota_json FROM roles ORDER BY role", r => new RegisteredRole(
            r.GetString(0),
            r.IsDBNull(1) ? null : r.GetDouble(1),
            r.IsDBNull(2) ? null : MesosJson.Deserialize<QuotaConfig>(r.GetString(2))), cancellationToken).ConfigureAwait(false);
        var down = await QueryAsync(connection, transaction, "SELECT machine FROM maintenance ORDER BY machine", r => r.GetString(0), cancellationToken).ConfigureAwait(false);
        var reservations = await QueryAsync(connection, transaction, "SELECT agent_id, conversions_json FROM reservations ORDER BY agent_id", r => new RegisteredReservations(
            new AgentId(r.GetString(0)),
            MesosJson.Deserialize<List<ReservationRecord>>(r.GetString(1)) ?? []), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RegistrySnapshot(agents, frameworks) { Roles = roles, DownMachines = down, Reservations = reservations };
    }

    public Task AdmitAgentAsync(AgentId id, AgentInfo info, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(
            """
            INSERT INTO agents (agent_id, hostname, info_json, state, registered_at, updated_at) VALUES (@id, @hostname, @info, 'active', @at, @at)
            ON CONFLICT (agent_id) DO UPDATE SET hostname = excluded.hostname, info_json = excluded.info_json,
                state = CASE WHEN agents.state = 'unreachable' THEN 'active' ELSE agents.state END, updated_at = excluded.updated_at
            """,
            cancellationToken,
            ("id", id.Value),
            ("hostname", info.Hostname ?? string.Empty),
            ("info", MesosJson.Serialize(info)),
            ("at", at.UtcDateTime));

    public Task SetAgentStateAsync(AgentId id, AgentRegistryState state, DrainConfig? drain, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(
            "UPDATE agents SET state = @state, drain_json = @drain, updated_at = @at WHERE agent_id = @id",
            cancellationToken,
            ("id", id.Value),
            ("state", state.Name()),
            ("drain", drain is null ? DBNull.Value : MesosJson.Serialize(drain)),
            ("at", at.UtcDateTime));

    public Task AddFrameworkAsync(FrameworkId id, FrameworkInfo info, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(
            """
            INSERT INTO frameworks (framework_id, info_json, failover_timeout, registered_at) VALUES (@id, @info, @timeout, @at)
            ON CONFLICT (framework_id) DO UPDATE SET info_json = excluded.info_json, failover_timeout = excluded.failover_timeout
            """,
            cancellationToken,
            ("id", id.Value),
            ("info", MesosJson.Serialize(info)),
            ("timeout", info.FailoverTimeout ?? 0),
            ("at", at.UtcDateTime));

    public Task RemoveFrameworkAsync(FrameworkId id, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync("UPDATE frameworks SET removed_at = @at WHERE framework_id = @id", cancellationToken, ("id", id.Value), ("at", at.UtcDateTime));

    public Task SetWeightAsync(string role, double weight, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(
            """
            INSERT INTO roles (role, weight, updated_at) VALUES (@role, @weight, @at)
            ON CONFLICT (role) DO UPDATE SET weight = excluded.weight, updated_at = excluded.updated_at
            """,
            cancellationToken,
            ("role", role),
            ("weight", weight),
            ("at", at.UtcDateTime));

    public Task SetQuotaAsync(QuotaConfig quota, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var empty = (quota.Guarantees?.Count ?? 0) == 0 && (quota.Limits?.Count ?? 0) == 0;
        return WriteAsync(
            """
            INSERT INTO roles (role, quota_json, updated_at) VALUES (@role, @quota, @at)
            ON CONFLICT (role) DO UPDATE SET quota_json = excluded.quota_json, updated_at = excluded.updated_at
            """,
            cancellationToken,
            ("role", quota.Role ?? throw new ArgumentException("A quota config needs a role", nameof(quota))),
            ("quota", empty ? DBNull.Value : MesosJson.Serialize(quota)),
            ("at", at.UtcDateTime));
    }

    public Task SetMachineDownAsync(string machine, bool down, DateTimeOffset at, CancellationToken cancellationToken) =>
        down
            ? WriteAsync("INSERT INTO maintenance (machine, mode, since) VALUES (@machine, 'down', @at) ON CONFLICT (machine) DO NOTHING", cancellationToken, ("machine", machine), ("at", at.UtcDateTime))
            : WriteAsync("DELETE FROM maintenance WHERE machine = @machine", cancellationToken, ("machine", machine));

    public Task SetReservationsAsync(AgentId agent, IReadOnlyList<ReservationRecord> conversions, DateTimeOffset at, CancellationToken cancellationToken) =>
        conversions.Count == 0
            ? WriteAsync("DELETE FROM reservations WHERE agent_id = @id", cancellationToken, ("id", agent.Value))
            : WriteAsync(
                """
                INSERT INTO reservations (agent_id, conversions_json, updated_at) VALUES (@id, @json, @at)
                ON CONFLICT (agent_id) DO UPDATE SET conversions_json = excluded.conversions_json, updated_at = excluded.updated_at
                """,
                cancellationToken,
                ("id", agent.Value),
                ("json", MesosJson.Serialize(conversions)),
                ("at", at.UtcDateTime));

    protected static async Task<List<T>> QueryAsync<T>(
        DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    protected static async Task<int> ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await BeginWriteAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, sql, cancellationToken, parameters).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
