using Npgsql;

namespace Mesos.Orleans.Grains.Registry.Postgres;

/// <summary>Claims the next term for a new activation of the master grain (sql/postgres/0006). The claim waits
/// for registry writes in flight under the previous term, which hold the row FOR SHARE; once it commits, the
/// previous activation can no longer write.</summary>
public static class MasterIncarnation
{
    public static async Task<long> ClaimAsync(NpgsqlDataSource dataSource, string holder, string silo, CancellationToken cancellationToken)
    {
        await using var claim = dataSource.CreateCommand(
            "UPDATE master_incarnation SET term = term + 1, holder = @holder, silo = @silo WHERE id = 1 RETURNING term");
        claim.Parameters.AddWithValue("holder", holder);
        claim.Parameters.AddWithValue("silo", silo);
        return (long)(await claim.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The master_incarnation row is missing: the schema was not migrated"));
    }
}
