using System.Globalization;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Resources;

/// <summary>Parses <c>--attributes</c> in Mesos syntax, <c>rack:r1;zone:eu-1;level:3</c>: numbers become
/// SCALAR attributes, <c>[a-b]</c> RANGES, anything else TEXT.</summary>
public static class AttributeParser
{
    public static List<AgentAttribute> Parse(string? text)
    {
        var attributes = new List<AgentAttribute>();
        foreach (var part in (text ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == part.Length - 1)
            {
                throw new FormatException($"Invalid attribute '{part}': expecting name:value");
            }

            var name = part[..colon];
            var value = part[(colon + 1)..];
            attributes.Add(double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? new AgentAttribute { Name = name, Type = ResourceValueType.SCALAR, Scalar = new Scalar { Value = number } }
                : new AgentAttribute { Name = name, Type = ResourceValueType.TEXT, Text = new ValueText { Value = value } });
        }

        return attributes;
    }
}
