using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace Mesos.Orleans.Grains.Storage;

/// <summary>The records <see cref="SqliteGrainStorage"/> keeps in the file at <c>path</c>.</summary>
public sealed class SqliteGrainStateCatalog(string path, IGrainStorageSerializer serializer) : IGrainStateCatalog
{
    private readonly Lazy<Task<string>> _connectionString = new(() => SqliteSchema.OpenAsync(path, CancellationToken.None));

    public async Task<IReadOnlyList<T>> ReadAllAsync<T>(string stateName, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(await _connectionString.Value.ConfigureAwait(false));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM grain_state WHERE state_name = $state";
        command.Parameters.AddWithValue("$state", stateName);
        return await GrainStatePayloads.ReadAllAsync<T>(command, serializer, cancellationToken).ConfigureAwait(false);
    }
}
