using Mesos.Orleans.Interfaces.Json;
namespace Mesos.Orleans.Interfaces.V1;

/// <summary>mesos.v1.MasterInfo.</summary>
public sealed class MasterInfo
{
    public string? Id { get; set; }

    /// <summary>IPv4 in network byte order read as a little-endian integer (127.0.0.1 is 16777343).</summary>
    public uint Ip { get; set; }

    public uint Port { get; set; } = 5050;

    public string? Pid { get; set; }

    public string? Hostname { get; set; }

    public string? Version { get; set; }

    public Address? Address { get; set; }
}

/// <summary>mesos.v1.AgentInfo.</summary>
public sealed class AgentInfo
{
    [ProtoRequired]
    public string? Hostname { get; set; }

    public int? Port { get; set; }

    public List<Resource>? Resources { get; set; }

    public List<AgentAttribute>? Attributes { get; set; }

    public AgentId? Id { get; set; }
}
