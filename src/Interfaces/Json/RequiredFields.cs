using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Mesos.Orleans.Interfaces.Json;

/// <summary>Finds required fields that a parsed message lacks, at any depth, with their JSON paths
/// ("accept.operations[0].launch.task_infos[0].name") — Mesos's "Missing required fields: …".</summary>
public static class RequiredFields
{
    private const int MaxReported = 10;
    private static readonly ConcurrentDictionary<Type, Field[]> Fields = new();

    public static IReadOnlyList<string> FindMissing(object message)
    {
        var missing = new List<string>();
        Walk(message, string.Empty, missing, depth: 0);
        return missing;
    }

    private static void Walk(object value, string path, List<string> missing, int depth)
    {
        if (missing.Count >= MaxReported || depth > MesosJson.MaxDepth)
        {
            return;
        }

        foreach (var field in FieldsOf(value.GetType()))
        {
            var child = field.Property.GetValue(value);
            var childPath = path.Length == 0 ? field.JsonName : $"{path}.{field.JsonName}";
            if (child is null)
            {
                if (field.Required)
                {
                    missing.Add(childPath);
                }

                continue;
            }

            if (child is IList list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } item && IsMessage(item.GetType()))
                    {
                        Walk(item, $"{childPath}[{i}]", missing, depth + 1);
                    }
                }
            }
            else if (IsMessage(child.GetType()))
            {
                Walk(child, childPath, missing, depth + 1);
            }
        }
    }

    private static bool IsMessage(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("Mesos.Orleans.Interfaces", StringComparison.Ordinal) == true;

    private static Field[] FieldsOf(Type type) => Fields.GetOrAdd(type, static t =>
    [
        .. t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead)
            .Where(p => IsRequired(t, p) || IsMessage(p.PropertyType) || (typeof(IList).IsAssignableFrom(p.PropertyType) && p.PropertyType != typeof(byte[])))
            .Select(p => new Field(p, JsonNameOf(p), IsRequired(t, p))),
    ]);

    /// <summary>On properties, or on a record's primary-constructor parameter of the same name.</summary>
    private static bool IsRequired(Type type, PropertyInfo property) =>
        property.IsDefined(typeof(ProtoRequiredAttribute))
        || type.GetConstructors().Any(c => c.GetParameters().Any(p =>
            p.Name == property.Name && p.IsDefined(typeof(ProtoRequiredAttribute))));

    private static string JsonNameOf(PropertyInfo property) =>
        property.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>()?.Name
        ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);

    private sealed record Field(PropertyInfo Property, string JsonName, bool Required);
}
