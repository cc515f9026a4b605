using Mesos.Orleans.Interfaces.Json;
using System.Text.Json.Serialization;

namespace Mesos.Orleans.Interfaces.V1;

/// <summary>mesos.v1.Value.Type.</summary>
public enum ResourceValueType
{
    SCALAR = 0,
    RANGES = 1,
    SET = 2,
    TEXT = 3,
}

public sealed class Scalar
{
    public double Value { get; set; }
}

public sealed class ValueRange
{
    public ulong Begin { get; set; }

    public ulong End { get; set; }
}

public sealed class ValueRanges
{
    public List<ValueRange>? Range { get; set; }
}

public sealed class ValueSet
{
    public List<string>? Item { get; set; }
}

public sealed class ValueText
{
    public string? Value { get; set; }
}

/// <summary>mesos.v1.Attribute: agent attributes such as rack or zone.</summary>
public sealed class AgentAttribute
{
    [ProtoRequired]
    public string? Name { get; set; }

    [ProtoRequired]
    public ResourceValueType? Type { get; set; }

    public Scalar? Scalar { get; set; }

    public ValueRanges? Ranges { get; set; }

    public ValueSet? Set { get; set; }

    public ValueText? Text { get; set; }
}

public sealed class Label
{
    [ProtoRequired]
    public string? Key { get; set; }

    public string? Value { get; set; }
}

/// <summary>mesos.v1.Labels; note the doubled nesting on the wire: "labels":{"labels":[...]}.</summary>
public sealed class Labels
{
    [JsonPropertyName("labels")]
    public List<Label>? Items { get; set; }
}

public sealed class TimeInfo
{
    public long Nanoseconds { get; set; }
}

public sealed class DurationInfo
{
    public long Nanoseconds { get; set; }
}

public sealed class Address
{
    public string? Hostname { get; set; }

    public string? Ip { get; set; }

    public int Port { get; set; }
}

public sealed class Url
{
    public string? Scheme { get; set; }

    public Address? Address { get; set; }

    public string? Path { get; set; }
}
