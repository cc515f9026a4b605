using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mesos.Orleans.Grains.Storage;

/// <summary>Orleans reminders for the embedded single silo, in the same SQLite file as its grain state.</summary>
public sealed class SqliteReminderTable(string path) : IReminderTable
{
    private const string Columns = "grain_id, reminder_name, start_at, period_ms, etag";
    private readonly Lazy<Task<string>> _connectionString = new(() => SqliteSchema.OpenAsync(path, CancellationToken.None));

    public async Task StartAsync(CancellationToken cancellationToken = default) => await _connectionString.Value.ConfigureAwait(false);

    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        ReadAsync($"SELECT {Columns} FROM reminders WHERE grain_id = $grain", ("$grain", grainId.ToString()));

    /// <summary>The reminders of grains in the ring range (begin, end], which wraps around when begin ≥ end.</summary>
    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadAsync(
        begin < end
            ? $"SELECT {Columns} FROM reminders WHERE grain_hash > $begin AND grain_hash <= $end"
            : $"SELECT {Columns} FROM reminders WHERE grain_hash > $begin OR grain_hash <= $end",
        ("$begin", (long)begin),
        ("$end", (long)end));

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        (await ReadAsync($"SELECT {Columns} FROM reminders WHERE grain_id = $grain AND reminder_name = $name", ("$grain", grainId.ToString()), ("$name", reminderName)).ConfigureAwait(false))
        .Reminders.SingleOrDefault();

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO reminders (grain_id, reminder_name, start_at, period_ms, grain_hash, etag)
            VALUES ($grain, $name, $start, $period, $hash, 0)
            ON CONFLICT (grain_id, reminder_name) DO UPDATE
            SET start_at = excluded.start_at, period_ms = excluded.period_ms, grain_hash = excluded.grain_hash, etag = reminders.etag + 1
            RETURNING etag
            """;
        command.Parameters.AddWithValue("$grain", entry.GrainId.ToString());
        command.Parameters.AddWithValue("$name", entry.ReminderName);
        command.Parameters.AddWithValue("$start", entry.StartAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$period", (long)entry.Period.TotalMilliseconds);
        command.Parameters.AddWithValue("$hash", (long)entry.GrainId.GetUniformHashCode());
        var etag = await command.ExecuteScalarAsync().ConfigureAwait(false);
        return Convert.ToInt64(etag, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var expected))
        {
            return false;
        }

        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM reminders WHERE grain_id = $grain AND reminder_name = $name AND etag = $etag";
        command.Parameters.AddWithValue("$grain", grainId.ToString());
        command.Parameters.AddWithValue("$name", reminderName);
        command.Parameters.AddWithValue("$etag", expected);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false) > 0;
    }

    public async Task TestOnlyClearTable()
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM reminders";
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private async Task<ReminderTableData> ReadAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var entries = new List<ReminderEntry>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = DateTime.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                Period = TimeSpan.FromMilliseconds(reader.GetInt64(3)),
                ETag = reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
            });
        }

        return new ReminderTableData(entries);
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(await _connectionString.Value.ConfigureAwait(false));
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }
}
