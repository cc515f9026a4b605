using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesos.Orleans.Interfaces.Json;

/// <summary>Mesos accepts a single value where a repeated field is expected, as a one-element list;
/// clients rely on it, so every <see cref="List{T}"/> reads that way.</summary>
public sealed class SingleOrListConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(List<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(
            typeof(SingleOrListConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class SingleOrListConverter<T> : JsonConverter<List<T>>
    {
        public override List<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var list = new List<T>();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                list.Add(ReadElement(ref reader, options));
                return list;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                list.Add(ReadElement(ref reader, options));
            }

            return list;
        }

        public override void Write(Utf8JsonWriter writer, List<T> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var item in value)
            {
                JsonSerializer.Serialize(writer, item, options);
            }

            writer.WriteEndArray();
        }

        private static T ReadElement(ref Utf8JsonReader reader, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<T>(ref reader, options)
            ?? throw new JsonException($"A null element is not allowed in a list of {typeof(T).Name}");
    }
}
