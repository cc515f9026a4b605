using System.Globalization;
using System.Text.Json;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>Reads the agent's --resources flag the way Mesos does: either a JSON array of Resource
/// objects, or the text syntax "cpus:4;mem:1024;ports:[31000-32000];cpus(eng):2;foo:{a,b}".</summary>
internal static class ResourceText
{
    public static List<ResourceEntry> Parse(string text, string defaultRole)
    {
        if (RoleName.Validate(defaultRole) is { } roleError)
        {
            throw new ResourceFormatException("Invalid default role: " + roleError);
        }

        var entries = text.TrimStart().StartsWith('[')
            ? ParseJson(text, defaultRole)
            : ParseSimple(text, defaultRole);

        // A name means one kind of thing on an agent: "cpus" cannot be a scalar here and a range there.
        var types = new Dictionary<string, ResourceValueType>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (types.TryGetValue(entry.Key.Name, out var seen) && seen != entry.Key.Type)
            {
                throw new ResourceFormatException(
                    $"Resources with the same name ('{entry.Key.Name}') but different types ({seen}, {entry.Key.Type}) are not allowed");
            }

            types[entry.Key.Name] = entry.Key.Type;
        }

        return entries;
    }

    private static List<ResourceEntry> ParseSimple(string text, string defaultRole)
    {
        var entries = new List<ResourceEntry>();
        foreach (var token in text.Split(';'))
        {
            if (string.IsNullOrWhiteSpace(token))
            {
                continue;
            }

            var pair = token.Split(':');
            if (pair.Length != 2)
            {
                throw new ResourceFormatException($"Bad value for resources, missing or extra ':' in '{token}'");
            }

            var (name, role) = ParseNameAndRole(pair[0], token, defaultRole);
            var value = ParseValue(pair[1], name, token);
            var reservations = role == RoleName.Any ? null : new[] { ResourceReservation.Static(role) };
            entries.Add(new ResourceEntry(new ResourceKey(name, value.Type, reservations), value));
        }

        return entries;
    }

    private static (string Name, string Role) ParseNameAndRole(string part, string token, string defaultRole)
    {
        var open = part.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            if (part.Contains(')', StringComparison.Ordinal))
            {
                throw new ResourceFormatException($"Bad value for resources, mismatched parentheses in '{token}'");
            }

            return (RequireName(part.Trim(), token), defaultRole);
        }

        var close = part.IndexOf(')', StringComparison.Ordinal);
        if (close < open || part.IndexOf('(', open + 1) >= 0 || part.IndexOf(')', close + 1) >= 0
            || !string.IsNullOrWhiteSpace(part[(close + 1)..]))
        {
            throw new ResourceFormatException($"Bad value for resources, mismatched parentheses in '{token}'");
        }

        var name = RequireName(part[..open].Trim(), token);
        var role = part[(open + 1)..close].Trim();
        if (RoleName.Validate(role) is { } error)
        {
            throw new ResourceFormatException($"Bad role for resource '{name}' in '{token}': {error}");
        }

        return (name, role);
    }

    private static string RequireName(string name, string token) =>
        name.Length == 0 ? throw new ResourceFormatException($"Empty resource name in '{token}'") : name;

    private static ResourceValue ParseValue(string raw, string name, string token)
    {
        var value = string.Concat(raw.Where(static c => !char.IsWhiteSpace(c)));
        if (value.Length == 0)
        {
            throw new ResourceFormatException($"Missing value for resource '{name}' in '{token}'");
        }

        try
        {
            if (value[0] == '[')
            {
                return ResourceValue.FromRanges(ValueRangeSet.Parse(value));
            }

            if (value[0] == '{')
            {
                return ParseSet(value);
            }

            if (value.IndexOfAny(['[', ']', '{', '}', '(', ')']) >= 0)
            {
                throw new ResourceFormatException($"unexpected bracket in '{value}'");
            }

            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var scalar))
            {
                throw new ResourceFormatException(
                    $"'{value}' is not a number, ranges '[b-e,...]' or set '{{a,b,...}}' (TEXT values are not resources)");
            }

            return ResourceValue.FromScalar(ResourceWire.ReadScalar(scalar));
        }
        catch (ResourceFormatException e)
        {
            throw new ResourceFormatException($"Bad value for resource '{name}' in '{token}': {e.Message}", e);
        }
    }

    private static ResourceValue ParseSet(string value)
    {
        if (value[^1] != '}' || value.IndexOfAny(['{', '}', '[', ']'], 1) != value.Length - 1)
        {
            throw new ResourceFormatException($"mismatched braces in set '{value}'");
        }

        // Empty items are skipped, as Mesos's tokenizer does ("{a,,b}" is {a, b}).
        var items = value[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (items.Distinct(StringComparer.Ordinal).Count() != items.Length)
        {
            throw new ResourceFormatException($"duplicated elements in set '{value}'");
        }

        return ResourceValue.FromSet(items);
    }

    /// <summary>The JSON form, as for <c>--resources='[{"name":"cpus",...}]'</c>. A resource without a role
    /// or reservations gets the default role, and the command-line restrictions apply: no dynamic
    /// reservations, revocable resources or persistent volumes, which only the master can create.</summary>
    private static List<ResourceEntry> ParseJson(string text, string defaultRole)
    {
        List<Resource?>? resources;
        try
        {
            resources = MesosJson.Deserialize<List<Resource?>>(text);
        }
        catch (JsonException e)
        {
            throw new ResourceFormatException("Some JSON resources were not formatted properly: " + e.Message, e);
        }

        var entries = new List<ResourceEntry>();
        var position = 0;
        foreach (var resource in resources ?? [])
        {
            if (resource is not null && resource.Role is null && resource.Reservations is not { Count: > 0 } && defaultRole != RoleName.Any)
            {
                resource.Role = defaultRole;
            }

            var entry = ResourceWire.Read(resource, position++);
            var problem = entry.Key switch
            {
                { IsDynamicallyReserved: true } => "Dynamic reservations cannot be specified at the command line",
                { Revocable: true } => "Revocable resources cannot be specified at the command line",
                { IsPersistentVolume: true } => "Persistent volumes cannot be specified at the command line",
                { AllocationRole: not null } => "Allocated resources cannot be specified at the command line",
                _ => null,
            };
            if (problem is not null)
            {
                throw new ResourceFormatException($"{problem}: '{entry}'");
            }

            entries.Add(entry);
        }

        return entries;
    }
}
