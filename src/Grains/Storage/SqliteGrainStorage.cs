using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace Mesos.Orleans.Grains.Storage;

/// <summary>Grain state for the embedded single silo, in SQLite. Every write names the ETag it read: a write
/// from an activation whose state is no longer the latest changes nothing and throws
/// <see cref="InconsistentStateException"/>, as the ADO.NET provider does on PostgreSQL. Rows are keyed by
/// the state name and the whole grain ID (type included), so grain classes cannot read each other's state.</summary>
public sealed class SqliteGrainStorage : IGrainStorage
{
    private readonly string _name;
    private readonly IGrainStorageSerializer _serializer;
    private readonly Lazy<Task<string>> _connectionString;
    private readonly TimeProvider _time;

    public SqliteGrainStorage(string name, SqliteGrainStorageOptions options, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.Path);
        _name = name;
        _serializer = options.GrainStorageSerializer;
        _time = time;
        _connectionString = new(() => SqliteSchema.OpenAsync(options.Path, CancellationToken.None));
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = Command(connection, "SELECT payload, etag FROM grain_state WHERE state_name = $state AND grain_id = $grain", stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        if (!await reader.ReadAsync().ConfigureAwait(false))
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = _serializer.Deserialize<T>(new BinaryData((byte[])reader.GetValue(0)));
        grainState.ETag = reader.GetInt64(1).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = _serializer.Serialize(grainState.State).ToArray();
        await using var connection = await OpenAsync().ConfigureAwait(false);
        var expected = ParseETag(grainState.ETag);
        await using var command = Command(
            connection,
            expected is null
                ? "INSERT INTO grain_state (state_name, grain_id, payload, etag, modified_at) VALUES ($state, $grain, $payload, 1, $now) ON CONFLICT DO NOTHING RETURNING etag"
                : "UPDATE grain_state SET payload = $payload, etag = etag + 1, modified_at = $now WHERE state_name = $state AND grain_id = $grain AND etag = $etag RETURNING etag",
            stateName,
            grainId);
        command.Parameters.AddWithValue("$payload", payload);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$etag", (object?)expected ?? DBNull.Value);
        var written = await command.ExecuteScalarAsync().ConfigureAwait(false)
            ?? throw Conflict("write", stateName, grainId, grainState.ETag);
        grainState.ETag = Convert.ToInt64(written, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = ParseETag(grainState.ETag);
        if (expected is not null)
        {
            await using var connection = await OpenAsync().ConfigureAwait(false);
            await using var command = Command(connection, "DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain AND etag = $etag", stateName, grainId);
            command.Parameters.AddWithValue("$etag", expected);
            if (await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 0)
            {
                throw Conflict("clear", stateName, grainId, grainState.ETag);
            }
        }

        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(await _connectionString.Value.ConfigureAwait(false));
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, string stateName, GrainId grainId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId.ToString());
        return command;
    }

    private static long? ParseETag(string? etag) =>
        etag is null ? null
        : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new InconsistentStateException($"ETag '{etag}' was not written by this storage");

    private InconsistentStateException Conflict(string operation, string stateName, GrainId grainId, string? etag) =>
        new($"Version conflict ({operation}): provider {_name}, state {stateName}, grain {grainId}, ETag {etag ?? "none"}: another activation wrote it since this one read it");
}
