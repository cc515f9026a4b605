using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Mesos.Orleans.Grains.Registry;

/// <summary>The embedded default registry: one SQLite file under the master's work directory (single
/// master, no HA). Its schema: sql/sqlite/*.sql, applied by <see cref="Storage.SqliteSchema"/>.</summary>
public sealed class SqliteRegistry : SqlRegistry
{
    private readonly string _connectionString;

    private SqliteRegistry(string connectionString) => _connectionString = connectionString;

    public static async Task<SqliteRegistry> OpenAsync(string path, CancellationToken cancellationToken) =>
        new(await Storage.SqliteSchema.OpenAsync(path, cancellationToken).ConfigureAwait(false));

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
