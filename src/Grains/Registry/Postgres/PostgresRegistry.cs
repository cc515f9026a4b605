using System.Data.Common;
using Npgsql;

namespace Mesos.Orleans.Grains.Registry.Postgres;

/// <summary>The registry shared by several masters. Every write is fenced: its transaction first locks the
/// lease row FOR SHARE and checks that this master still holds it in <see cref="Term"/> — a takeover's
/// UPDATE conflicts with that lock, so a stale leader's write either commits before the new term exists or
/// fails with <see cref="StaleTermException"/> — and bumps registry_version for the standbys' warm copies.
/// A registry without a term (a standby's) can only read.</summary>
public sealed class PostgresRegistry(NpgsqlDataSource dataSource, string masterId, long? term) : SqlRegistry
{
    /// <summary>The same registry, writing in <paramref name="leaderTerm"/>.</summary>
    public PostgresRegistry(PostgresRegistry reader, string masterId, long leaderTerm)
        : this(reader._dataSource, masterId, leaderTerm)
    {
    }

    private readonly NpgsqlDataSource _dataSource = dataSource;

    public long? Term { get; } = term;

    public string MasterId { get; } = masterId;

    /// <summary>The version the registry has now (cheap: one row), to tell whether a warm copy is current.</summary>
    public async Task<long> ReadVersionAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT version FROM registry_version WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task BeginWriteAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (Term is not { } term)
        {
            throw new StaleTermException(0, "This master is not the leader; the registry is read-only here");
        }

        await using (var fence = new NpgsqlCommand(
            "SELECT 1 FROM leader_lease WHERE id = 1 AND holder = @me AND term = @term FOR SHARE", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction))
        {
            fence.Parameters.AddWithValue("me", MasterId);
            fence.Parameters.AddWithValue("term", term);
            if (await fence.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                throw new StaleTermException(term, $"Term {term} is no longer the leader's: another master leads now");
            }
        }

        await using var bump = new NpgsqlCommand("UPDATE registry_version SET version = version + 1 WHERE id = 1", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<long> ReadVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM registry_version WHERE id = 1", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }
}
