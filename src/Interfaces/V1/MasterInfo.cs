using Mesos.Orleans.Interfaces.Json;
using Orleans;

namespace Mesos.Orleans.Interfaces.V1;

/// <summary>mesos.v1.MasterInfo.</summary>
[GenerateSerializer]
public sealed class MasterInfo
{
    [Id(0)]
    public string? Id { get; set; }

    /// <summary>IPv4 in network byte order read as a little-endian integer (127.0.0.1 is 16777343).</summary>
    [Id(1)]
    public uint Ip { get; set; }

    [Id(2)]
    public uint Port { get; set; } = 5050;

    [Id(3)]
    public string? Pid { get; set; }

    [Id(4)]
    public string? Hostname { get; set; }

    [Id(5)]
    public string? Version { get; set; }

    [Id(6)]
    public Address? Address { get; set; }
}

/// <summary>mesos.v1.AgentInfo.</summary>
[GenerateSerializer]
public sealed class AgentInfo
{
    [ProtoRequired]
    [Id(0)]
    public string? Hostname { get; set; }

    [Id(1)]
    public int? Port { get; set; }

    [Id(2)]
    public List<Resource>? Resources { get; set; }

    [Id(3)]
    public List<AgentAttribute>? Attributes { get; set; }

    [Id(4)]
    public AgentId? Id { get; set; }
}
