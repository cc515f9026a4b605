using System.Text.Json;
using System.Text.Json.Nodes;
using Mesos.Orleans.Interfaces.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Mesos.Orleans.Grains.Master;

/// <summary>How grain calls carry what Orleans cannot serialize by itself: the JSON documents some wire types
/// hold (a task's container and discovery info stay opaque JSON, as Mesos passes them through) and the legacy
/// state document, as JSON text. Every wire type of ours is <c>[GenerateSerializer]</c>: Orleans' own codec is
/// several times faster than a JSON round trip, which made each call through a silo other than the master's
/// cost as much as the call itself.</summary>
public static class WireSerialization
{
    public static ISerializerBuilder AddMesosWireTypes(this ISerializerBuilder serializer) =>
        serializer.AddJsonSerializer(IsWireType, MesosJson.Options);

    private static bool IsWireType(Type type) =>
        type == typeof(JsonObject) || type == typeof(JsonElement);
}
