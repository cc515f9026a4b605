using Mesos.Orleans.Grains.Leadership;
using Npgsql;

namespace Mesos.Orleans.Grains.Registry.Postgres;

/// <summary>The leader lease row (sql/postgres: leader_lease) on its own connection, reopened after any
/// failure. Expiry is judged by the database's clock alone (<c>now()</c>), never by a master's.</summary>
public sealed class PostgresLeaseStore(string leaseConnectionString) : ILeaseStore, IAsyncDisposable
{
    // Acquire and report in one statement: the UPDATE takes the row lock (waiting out any fenced registry
    // write holding it FOR SHARE), and the second branch reports the holder when the lease is still live.
    private const string AcquireSql = """
        WITH acquired AS (
            UPDATE leader_lease SET term = term + 1, holder = @me, address = @address, expires_at = now() + @ttl
            WHERE id = 1 AND expires_at < now()
            RETURNING term, holder, address)
        SELECT term, holder, address, true FROM acquired
        UNION ALL
        SELECT term, holder, address, false FROM leader_lease WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM acquired)
        """;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _connection;

    public Task<LeaseObservation> TryAcquireAsync(string candidate, string address, TimeSpan ttl, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(AcquireSql, connection);
            command.Parameters.AddWithValue("me", candidate);
            command.Parameters.AddWithValue("address", address);
            command.Parameters.AddWithValue("ttl", ttl);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException("The leader_lease row is missing; the schema was not applied");
            }

            return new LeaseObservation(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetBoolean(3));
        }, cancellationToken);

    public Task<bool> RenewAsync(string holder, long term, TimeSpan ttl, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "UPDATE leader_lease SET expires_at = now() + @ttl WHERE id = 1 AND holder = @me AND term = @term", connection);
            command.Parameters.AddWithValue("me", holder);
            command.Parameters.AddWithValue("term", term);
            command.Parameters.AddWithValue("ttl", ttl);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);

    public Task ReleaseAsync(string holder, long term, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "UPDATE leader_lease SET expires_at = '-infinity' WHERE id = 1 AND holder = @me AND term = @term", connection);
            command.Parameters.AddWithValue("me", holder);
            command.Parameters.AddWithValue("term", term);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> statement, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is null)
            {
                var connection = new NpgsqlConnection(leaseConnectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                _connection = connection;
            }

            return await statement(_connection).ConfigureAwait(false);
        }
        catch
        {
            // Whatever failed (server restart, timeout, broken socket), the next attempt starts on a fresh connection.
            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
                _connection = null;
            }

            throw;
        }
        finally
        {
            _gate.Release();
        }
    }
}
