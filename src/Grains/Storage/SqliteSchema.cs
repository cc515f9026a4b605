using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Mesos.Orleans.Grains.Storage;

/// <summary>Opens the embedded SQLite database and applies sql/sqlite/NNNN_*.sql (embedded in this assembly)
/// that it has not seen yet, in order, each in its own transaction; schema_version records what was applied.</summary>
public static class SqliteSchema
{
    /// <summary>A pooled connection string for the file at <paramref name="path"/>, after migrating it.</summary>
    public static async Task<string> OpenAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken).ConfigureAwait(false);
        foreach (var (version, sql) in Migrations())
        {
            // Several openers of one file (grain storage, the catalog, the reminder table, test silos) may
            // migrate at once: the version is read under the write lock (BEGIN IMMEDIATE), so each migration
            // is applied once and the others see it done.
            await using var transaction = connection.BeginTransaction(deferred: false);
            if (version > await AppliedAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
            {
                await ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return connectionString;
    }

    private static async Task<long> AppliedAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            return 0;
        }

        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<(int Version, string Sql)> Migrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("sqlite.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (int.Parse(name.AsSpan("sqlite.".Length, 4), CultureInfo.InvariantCulture), reader.ReadToEnd());
        }
    }
}
