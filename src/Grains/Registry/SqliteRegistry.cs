using System.Data.Common;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Mesos.Orleans.Grains.Registry;

/// <summary>The embedded default registry: one SQLite file under the master's work directory (single
/// master, no HA). Migrations: sql/sqlite/*.sql, embedded in this assembly, each applied once in order.</summary>
public sealed class SqliteRegistry : SqlRegistry
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
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken).ConfigureAwait(false);
        var applied = 0L;
        foreach (var (version, sql) in Migrations())
        {
            if (version > applied)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            applied = (await QueryAsync(connection, null, "SELECT COALESCE(MAX(version), 0) FROM schema_version", r => r.GetInt64(0), cancellationToken).ConfigureAwait(false))[0];
        }

        return registry;
    }

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static IEnumerable<(int Version, string Sql)> Migrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("sqlite.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (int.Parse(name.AsSpan("sqlite.".Length, 4), System.Globalization.CultureInfo.InvariantCulture), reader.ReadToEnd());
        }
    }
}
