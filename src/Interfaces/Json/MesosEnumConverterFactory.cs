using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesos.Orleans.Interfaces.Json;

/// <summary>Enums the way stout's JSON::Protobuf reads and writes them: by their exact proto name.
/// An unknown name in an optional (nullable) field reads as unset; in a required one it is an error.
/// A number is always an error, as in Mesos.</summary>
public sealed class MesosEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsEnum || Nullable.GetUnderlyingType(typeToConvert)?.IsEnum == true;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var underlying = Nullable.GetUnderlyingType(typeToConvert);
        var converterType = underlying is null
            ? typeof(RequiredEnumConverter<>).MakeGenericType(typeToConvert)
            : typeof(OptionalEnumConverter<>).MakeGenericType(underlying);
        return (JsonConverter)Activator.CreateInstance(converterType)!;
    }

    private static string ReadName(ref Utf8JsonReader reader, Type type)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expecting a string for enum '{type.Name}'");
        }

        return reader.GetString()!;
    }

    private sealed class RequiredEnumConverter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var name = ReadName(ref reader, typeof(T));
            return Enum.TryParse<T>(name, ignoreCase: false, out var value) && Enum.IsDefined(value)
                ? value
                : throw new JsonException($"Invalid value '{name}' for enum '{typeof(T).Name}'");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }

    private sealed class OptionalEnumConverter<T> : JsonConverter<T?>
        where T : struct, Enum
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var name = ReadName(ref reader, typeof(T));
            return Enum.TryParse<T>(name, ignoreCase: false, out var value) && Enum.IsDefined(value) && !IsNumeric(name)
                ? value
                : null;
        }

        public override void Write(Utf8JsonWriter writer, T? value, JsonSerializerOptions options)
        {
            if (value is { } v)
            {
                writer.WriteStringValue(v.ToString());
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        // Enum.TryParse accepts "3"; a name is never numeric, so such strings are unknown names.
        private static bool IsNumeric(string name) => name.Length > 0 && (char.IsAsciiDigit(name[0]) || name[0] == '-');
    }
}
