using System.Text.Json.Nodes;
using Mesos.Orleans.Interfaces.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Mesos.Orleans.Grains.Master;

/// <summary>How grain calls carry this project's wire types: as the same JSON the HTTP API speaks (Mesos's
/// field names and enum spellings), so that one model serves both and needs no second set of attributes.
/// Types of ours marked <c>[GenerateSerializer]</c> keep Orleans' own serializer.</summary>
public static class WireSerialization
{
    public static ISerializerBuilder AddMesosWireTypes(this ISerializerBuilder serializer) =>
        serializer.AddJsonSerializer(IsWireType, MesosJson.Options);

    private static bool IsWireType(Type type) =>
        type == typeof(JsonObject)
        || (type.Namespace?.StartsWith("Mesos.Orleans.", StringComparison.Ordinal) == true
            && !type.IsDefined(typeof(GenerateSerializerAttribute), inherit: false));
}
