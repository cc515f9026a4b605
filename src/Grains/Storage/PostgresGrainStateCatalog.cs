using Npgsql;
using Orleans.Storage;

namespace Mesos.Orleans.Grains.Storage;

/// <summary>The records Orleans' ADO.NET grain storage keeps in PostgreSQL (the <c>orleansstorage</c> table of
/// sql/postgres/0004, keyed by service and state name), decoded with the silo's grain storage serializer, as
/// the provider decodes them. A cleared record (payload NULL) is not listed.</summary>
public sealed class PostgresGrainStateCatalog(NpgsqlDataSource database, string serviceId, IGrainStorageSerializer serializer) : IGrainStateCatalog
{
    public async Task<IReadOnlyList<T>> ReadAllAsync<T>(string stateName, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT payloadbinary FROM orleansstorage WHERE serviceid = @service AND graintypestring = @state AND payloadbinary IS NOT NULL");
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("state", stateName);
        return await GrainStatePayloads.ReadAllAsync<T>(command, serializer, cancellationToken).ConfigureAwait(false);
    }
}
