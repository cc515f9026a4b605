using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Mesos.Orleans.Interfaces.Json;

/// <summary>The de facto Mesos JSON wire format (stout's JSON::Protobuf), not proto3 JSON: snake_case
/// proto field names, enums by name, null as unset, unknown keys ignored, numbers also from strings,
/// empty repeated fields and unset fields omitted on output, non-ASCII escaped.</summary>
public static class MesosJson
{
    /// <summary>Deeper documents are rejected: no Mesos message nests anywhere near this far.</summary>
    public const int MaxDepth = 64;

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static byte[] SerializeToUtf8(object value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Options);

    public static string Serialize(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);

    public static T? Deserialize<T>(ReadOnlySpan<byte> utf8) => JsonSerializer.Deserialize<T>(utf8, Options);

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            MaxDepth = MaxDepth,
            WriteIndented = false,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitEmptyCollections } },
        };
        options.Converters.Add(new MesosEnumConverterFactory());
        options.Converters.Add(new SingleOrListConverterFactory());
        options.MakeReadOnly();
        return options;
    }

    private static void OmitEmptyCollections(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (typeof(ICollection).IsAssignableFrom(property.PropertyType))
            {
                property.ShouldSerialize = static (_, value) => value is ICollection { Count: > 0 };
            }
        }
    }
}
