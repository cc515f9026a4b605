using Mesos.Orleans.Interfaces.Json;
using System.Text.Json.Serialization;
using Orleans;

namespace Mesos.Orleans.Interfaces.V1;

/// <summary>mesos.v1.Value.Type.</summary>
public enum ResourceValueType
{
    SCALAR = 0,
    RANGES = 1,
    SET = 2,
    TEXT = 3,
}

[GenerateSerializer]
public sealed class Scalar
{
    [Id(0)]
    public double Value { get; set; }
}

[GenerateSerializer]
public sealed class ValueRange
{
    [Id(0)]
    public ulong Begin { get; set; }

    [Id(1)]
    public ulong End { get; set; }
}

[GenerateSerializer]
public sealed class ValueRanges
{
    [Id(0)]
    public List<ValueRange>? Range { get; set; }
}

[GenerateSerializer]
public sealed class ValueSet
{
    [Id(0)]
    public List<string>? Item { get; set; }
}

[GenerateSerializer]
public sealed class ValueText
{
    [Id(0)]
    public string? Value { get; set; }
}

/// <summary>mesos.v1.Attribute: agent attributes such as rack or zone.</summary>
[GenerateSerializer]
public sealed class AgentAttribute
{
    [ProtoRequired]
    [Id(0)]
    public string? Name { get; set; }

    [ProtoRequired]
    [Id(1)]
    public ResourceValueType? Type { get; set; }

    [Id(2)]
    public Scalar? Scalar { get; set; }

    [Id(3)]
    public ValueRanges? Ranges { get; set; }

    [Id(4)]
    public ValueSet? Set { get; set; }

    [Id(5)]
    public ValueText? Text { get; set; }
}

[GenerateSerializer]
public sealed class Label
{
    [ProtoRequired]
    [Id(0)]
    public string? Key { get; set; }

    [Id(1)]
    public string? Value { get; set; }
}

/// <summary>mesos.v1.Labels; note the doubled nesting on the wire: "labels":{"labels":[...]}.</summary>
[GenerateSerializer]
public sealed class Labels
{
    [JsonPropertyName("labels")]
    [Id(0)]
    public List<Label>? Items { get; set; }
}

[GenerateSerializer]
public sealed class TimeInfo
{
    [Id(0)]
    public long Nanoseconds { get; set; }
}

[GenerateSerializer]
public sealed class DurationInfo
{
    [Id(0)]
    public long Nanoseconds { get; set; }
}

[GenerateSerializer]
public sealed class Address
{
    [Id(0)]
    public string? Hostname { get; set; }

    [Id(1)]
    public string? Ip { get; set; }

    [Id(2)]
    public int Port { get; set; }
}

[GenerateSerializer]
public sealed class Url
{
    [Id(0)]
    public string? Scheme { get; set; }

    [Id(1)]
    public Address? Address { get; set; }

    [Id(2)]
    public string? Path { get; set; }
}
