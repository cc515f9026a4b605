using Mesos.Orleans.Grains.Leadership;
using Npgsql;

namespace Mesos.Orleans.Grains.Registry.Postgres;

/// <summary>The leader lease row (sql/postgres: leader_lease) on its own connection, reopened after any
/// failure. Expiry is judged by the database's clock alone (<c>now()</c>), never by a master's. Statements
/// run synchronously on the caller's thread — the elector's own thread — so that a renewal never waits in a
/// thread-pool queue behind thousands of reconnecting agents (the returned tasks are already complete); the
/// connection's command timeout bounds each one.</summary>
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
        Run(connection =>
        {
            using var command = new NpgsqlCommand(AcquireSql, connection);
            command.Parameters.AddWithValue("me", candidate);
            command.Parameters.AddWithValue("address", address);
            command.Parameters.AddWithValue("ttl", ttl);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
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
        Run(connection =>
        {
            using var command = new NpgsqlCommand(
                "UPDATE leader_lease SET expires_at = now() + @ttl WHERE id = 1 AND holder = @me AND term = @term", connection);
            command.Parameters.AddWithValue("me", holder);
            command.Parameters.AddWithValue("term", term);
            command.Parameters.AddWithValue("ttl", ttl);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task ReleaseAsync(string holder, long term, CancellationToken cancellationToken) =>
        Run(connection =>
        {
            using var command = new NpgsqlCommand(
                "UPDATE leader_lease SET expires_at = '-infinity' WHERE id = 1 AND holder = @me AND term = @term", connection);
            command.Parameters.AddWithValue("me", holder);
            command.Parameters.AddWithValue("term", term);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private Task<T> Run<T>(Func<NpgsqlConnection, T> statement, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _gate.Wait(cancellationToken);
        try
        {
            if (_connection is null)
            {
                var connection = new NpgsqlConnection(leaseConnectionString);
                connection.Open();
                _connection = connection;
            }

            return Task.FromResult(statement(_connection));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever failed (server restart, timeout, broken socket), the next attempt starts on a fresh connection.
            _connection?.Dispose();
            _connection = null;
            return Task.FromException<T>(e);
        }
        finally
        {
            _gate.Release();
        }
    }
}
