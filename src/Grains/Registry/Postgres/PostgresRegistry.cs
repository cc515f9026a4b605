using System.Data.Common;
using Npgsql;

namespace Mesos.Orleans.Grains.Registry.Postgres;

/// <summary>The registry of a master grain activation on the cluster's PostgreSQL. Every write is fenced: its
/// transaction first locks the incarnation row FOR SHARE and checks that <see cref="Term"/> is still the latest
/// claimed (<see cref="MasterIncarnation"/>). A newer activation's claim conflicts with that lock, so a stale
/// activation's write either commits before the new term exists or fails with <see cref="StaleTermException"/>.</summary>
public sealed class PostgresRegistry(NpgsqlDataSource dataSource, string holder, long term) : SqlRegistry
{
    public long Term { get; } = term;

    public string Holder { get; } = holder;

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task BeginWriteAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var fence = new NpgsqlCommand(
            "SELECT 1 FROM master_incarnation WHERE id = 1 AND holder = @holder AND term = @term FOR SHARE", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        fence.Parameters.AddWithValue("holder", Holder);
        fence.Parameters.AddWithValue("term", Term);
        if (await fence.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            throw new StaleTermException(Term, $"Term {Term} is no longer the master's: a newer activation claimed the registry");
        }
    }
}
