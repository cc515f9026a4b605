using Mesos.Orleans.Grains.Leadership;
using Npgsql;

namespace Mesos.Orleans.Grains.Registry.Postgres;

/// <summary>The leader lease row (sql/postgres: leader_lease) on its own connection, reopened after any
/// failure. Expiry is judged by the database's clock alone (<c>now()</c>), never by a master's. Statements
/// run synchronously on the caller's thread — the elector's own thread — so that a renewal never waits in a
/// thread-pool queue behind thousands of reconnecting agents (the returned tasks are already complete); the
/// connection's command timeout bounds each one.
/// <para>Each leader also holds, on this connection, a session-level advisory lock named after its term (the
/// hybrid of docs/high-availability.md), taken before the term exists. When a leader dies the database ends
/// its session and frees that lock at once, so a standby that finds the current term's lock free takes the
/// lease without waiting for it to expire. The lock is only that hint: a leader whose session was cut while
/// it still runs learns it at its next renewal (the term moved on), and every registry write is fenced by
/// the term whatever the locks say.</para></summary>
/// <param name="leaseConnectionString">The lease connection's own connection string.</param>
/// <param name="confirmLeaderGone">How long the current term's lock must stay free before a standby takes the
/// lease on that ground. A master uses the lease minus its margin: a leader that lost its session renews no
/// more unless it reconnects (and then takes its lock back first), so by then it has stopped leading by its
/// own clock, as it would have before its lease expired — a live leader is never overlapped, a dead one is
/// replaced that much sooner than by expiry (the margin, and the retry it no longer waits for).</param>
/// <param name="time">The clock that times <paramref name="confirmLeaderGone"/>.</param>
public sealed class PostgresLeaseStore(string leaseConnectionString, TimeSpan confirmLeaderGone, TimeProvider time) : ILeaseStore, IAsyncDisposable
{
    // Takes the lease as the next term if the lease expired or its term's leader no longer holds that term's
    // lock; the UPDATE takes the row lock (waiting out any fenced registry write holding it FOR SHARE), and
    // "term = @term" makes sure the term created is the one whose lock the candidate already holds.
    private const string AcquireSql = """
        UPDATE leader_lease SET term = term + 1, holder = @me, address = @address, expires_at = now() + @ttl
        WHERE id = 1 AND term = @term AND (expires_at < now() OR @leaderGone)
        RETURNING term, holder, address
        """;

    /// <summary>True when nobody holds the lock: taken and given back in one statement (CASE keeps the order).</summary>
    private const string ProbeSql = "SELECT CASE WHEN pg_try_advisory_lock(@key) THEN pg_advisory_unlock(@key) ELSE false END";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _connection;

    /// <summary>The term whose lock this connection's session holds, if any (none again on a new connection).</summary>
    private long? _lockedTerm;

    /// <summary>A term whose lock was seen free, and since when (by <c>time</c>'s timestamps).</summary>
    private (long Term, long Since)? _seenFree;

    /// <summary>The store of a master: a free lock confirms a dead leader after the lease minus its margin.</summary>
    public PostgresLeaseStore(string leaseConnectionString, LeaseTimings timings)
        : this(leaseConnectionString, timings.Ttl - timings.Margin, TimeProvider.System)
    {
    }

    public Task<LeaseObservation> TryAcquireAsync(string candidate, string address, TimeSpan ttl, CancellationToken cancellationToken) =>
        Run(connection =>
        {
            var (current, holder, holderAddress, expired) = Read(connection);
            var next = current + 1;
            if (!TryLock(connection, next))
            {
                return new LeaseObservation(current, holder, holderAddress, false); // Another candidate is taking it.
            }

            var leaderGone = !expired && holder is not null && LeaderGone(connection, current);
            if (!expired && !leaderGone)
            {
                Unlock(connection);
                return new LeaseObservation(current, holder, holderAddress, false);
            }

            using (var command = new NpgsqlCommand(AcquireSql, connection))
            {
                command.Parameters.AddWithValue("term", current);
                command.Parameters.AddWithValue("leaderGone", leaderGone);
                command.Parameters.AddWithValue("me", candidate);
                command.Parameters.AddWithValue("address", address);
                command.Parameters.AddWithValue("ttl", ttl);
                using var reader = command.ExecuteReader();
                if (reader.Read())
                {
                    return new LeaseObservation(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), true);
                }
            }

            Unlock(connection);
            var (term, now, nowAddress, _) = Read(connection);
            return new LeaseObservation(term, now, nowAddress, false);
        }, cancellationToken);

    public Task<bool> RenewAsync(string holder, long term, TimeSpan ttl, CancellationToken cancellationToken) =>
        Run(connection =>
        {
            // On a new connection (the old session was cut) the term's lock first, so that a standby watching
            // it sees it held again from this renewal on; a standby's probe holding it for an instant only
            // defers that to the next renewal.
            if (_lockedTerm != term)
            {
                TryLock(connection, term);
            }

            using var command = new NpgsqlCommand(
                "UPDATE leader_lease SET expires_at = now() + @ttl WHERE id = 1 AND holder = @me AND term = @term", connection);
            command.Parameters.AddWithValue("me", holder);
            command.Parameters.AddWithValue("term", term);
            command.Parameters.AddWithValue("ttl", ttl);
            var renewed = command.ExecuteNonQuery() == 1;
            if (!renewed)
            {
                Unlock(connection);
            }

            return renewed;
        }, cancellationToken);

    public Task ReleaseAsync(string holder, long term, CancellationToken cancellationToken) =>
        Run(connection =>
        {
            using var command = new NpgsqlCommand(
                "UPDATE leader_lease SET expires_at = '-infinity' WHERE id = 1 AND holder = @me AND term = @term", connection);
            command.Parameters.AddWithValue("me", holder);
            command.Parameters.AddWithValue("term", term);
            var released = command.ExecuteNonQuery();
            Unlock(connection);
            return released;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    /// <summary>The advisory lock of a term (advisory locks are per database, as the lease row is).</summary>
    private static long KeyOf(long term) => unchecked((0x6D6C6561L << 32) | (term & 0xFFFFFFFFL));

    private static (long Term, string? Holder, string? Address, bool Expired) Read(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT term, holder, address, expires_at < now() FROM leader_lease WHERE id = 1", connection);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException("The leader_lease row is missing; the schema was not applied");
        }

        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3));
    }

    /// <summary>Whether the term's lock has been free for <c>confirmLeaderGone</c>: seen free now and at an
    /// earlier attempt at least that long ago, with no sighting of it held in between.</summary>
    private bool LeaderGone(NpgsqlConnection connection, long term)
    {
        using var command = new NpgsqlCommand(ProbeSql, connection);
        command.Parameters.AddWithValue("key", KeyOf(term));
        if (command.ExecuteScalar() is not true)
        {
            _seenFree = null;
            return false;
        }

        var now = time.GetTimestamp();
        if (_seenFree is not { } seen || seen.Term != term)
        {
            _seenFree = (term, now);
            return confirmLeaderGone <= TimeSpan.Zero;
        }

        return time.GetElapsedTime(seen.Since, now) >= confirmLeaderGone;
    }

    /// <summary>Takes a term's lock for this session; a lock held for another term is let go first.</summary>
    private bool TryLock(NpgsqlConnection connection, long term)
    {
        Unlock(connection);
        using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", KeyOf(term));
        if (command.ExecuteScalar() is true)
        {
            _lockedTerm = term;
            return true;
        }

        return false;
    }

    private void Unlock(NpgsqlConnection connection)
    {
        if (_lockedTerm is { } term)
        {
            using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            command.Parameters.AddWithValue("key", KeyOf(term));
            command.ExecuteScalar();
            _lockedTerm = null;
        }
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
            // A statement the server refused (a lock or statement timeout behind fenced registry writes) leaves
            // the session, and the lock it holds, as they were; anything else (server restart, broken socket,
            // client timeout) and the next attempt starts on a fresh connection.
            if (e is not PostgresException || _connection?.State != System.Data.ConnectionState.Open)
            {
                _connection?.Dispose();
                _connection = null;
                _lockedTerm = null;
            }

            return Task.FromException<T>(e);
        }
        finally
        {
            _gate.Release();
        }
    }
}
