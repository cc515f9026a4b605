using Npgsql;

namespace Mesos.Orleans.Grains.Registry.Postgres;

/// <summary>One row of the masters table as operators see it; <see cref="Alive"/> when its last heartbeat
/// is recent by the database clock.</summary>
public sealed record MasterMember(
    string MasterId, string Hostname, string Ip, int Port, string Status, long? Term, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, bool Alive);

/// <summary>The masters table: each master announces itself at start, heartbeats its status, and marks
/// itself stopped on a clean shutdown.</summary>
public sealed class PostgresMembership(NpgsqlDataSource dataSource, string masterId, string hostname, string ip, int port)
{
    public async Task HeartbeatAsync(string status, long? term, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO masters (master_id, hostname, ip, port, status, term) VALUES (@id, @hostname, @ip, @port, @status, @term)
            ON CONFLICT (master_id) DO UPDATE SET status = excluded.status, term = excluded.term, last_heartbeat = now()
            """);
        command.Parameters.AddWithValue("id", masterId);
        command.Parameters.AddWithValue("hostname", hostname);
        command.Parameters.AddWithValue("ip", ip);
        command.Parameters.AddWithValue("port", port);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("term", term is { } t ? t : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every master heard from within <paramref name="window"/> (and the rest, marked not alive), leader first.</summary>
    public async Task<IReadOnlyList<MasterMember>> ListAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT master_id, hostname, ip, port, status, term, started_at, last_heartbeat, last_heartbeat > now() - @window AND status <> 'stopped'
            FROM masters ORDER BY status = 'leader' DESC, started_at
            """);
        command.Parameters.AddWithValue("window", window);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var members = new List<MasterMember>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            members.Add(new MasterMember(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetBoolean(8)));
        }

        return members;
    }
}
