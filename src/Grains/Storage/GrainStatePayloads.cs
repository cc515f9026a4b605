using System.Data.Common;
using Orleans.Storage;

namespace Mesos.Orleans.Grains.Storage;

/// <summary>Decodes the payload column (the first) of every row a catalog query returns.</summary>
internal static class GrainStatePayloads
{
    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbCommand command, IGrainStorageSerializer serializer, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (serializer.Deserialize<T>(new BinaryData((byte[])reader.GetValue(0))) is { } record)
            {
                records.Add(record);
            }
        }

        return records;
    }
}
