using Npgsql;

namespace Mesos.Orleans.IntegrationTests.Postgres;

/// <summary>Reads the master's records as an operator would with psql: grain state rows of orleansstorage, whose
/// payload is the record's JSON.</summary>
internal static class StoredRecords
{
    /// <summary>The latest term a master grain activation claimed (0: none yet).</summary>
    public static Task<long> TermAsync(string database) =>
        ScalarAsync<long>(database, "SELECT coalesce(max((convert_from(payloadbinary, 'UTF8')::jsonb ->> 'Term')::bigint), 0) FROM orleansstorage WHERE graintypestring = 'master-term'");

    /// <summary>The weight stored for <paramref name="role"/>; null: no record of the role.</summary>
    public static Task<double?> WeightAsync(string database, string role) => ScalarAsync<double?>(
        database,
        "SELECT (convert_from(payloadbinary, 'UTF8')::jsonb ->> 'Weight')::float8 FROM orleansstorage WHERE graintypestring = 'role-record' AND convert_from(payloadbinary, 'UTF8')::jsonb ->> 'Role' = @role",
        ("role", role));

    private static async Task<T> ScalarAsync<T>(string database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync() is { } found and not DBNull ? (T)found : default!;
    }
}
