using Mesos.Orleans.Interfaces.V1;
using Orleans;

namespace Mesos.Orleans.Interfaces.Operator;

/// <summary>GET_UTILIZATION (ours): what is allocated against what is really used, per agent, per role
/// and for the cluster, from the agents' latest usage reports. See docs/master-api.md.</summary>
[GenerateSerializer]
public sealed class GetUtilization
{
    [Id(0)]
    public UtilizationEntry? Cluster { get; set; }

    [Id(1)]
    public List<AgentUtilization>? Agents { get; set; }

    [Id(2)]
    public List<RoleUtilization>? Roles { get; set; }
}

/// <summary>cpus in cpus; mem in MB, as Mesos's mem resource.</summary>
[GenerateSerializer]
public sealed class UtilizationEntry
{
    [Id(0)]
    public ResourceUtilization? Cpus { get; set; }

    [Id(1)]
    public ResourceUtilization? Mem { get; set; }
}

/// <summary>One resource: <c>allocated</c> to tasks, <c>used</c> by them (measured), and the <c>total</c>.</summary>
[GenerateSerializer]
public sealed class ResourceUtilization
{
    [Id(0)]
    public double Allocated { get; set; }

    [Id(1)]
    public double Used { get; set; }

    [Id(2)]
    public double Total { get; set; }
}

[GenerateSerializer]
public sealed class AgentUtilization
{
    [Id(0)]
    public AgentId? AgentId { get; set; }

    [Id(1)]
    public string? Hostname { get; set; }

    [Id(2)]
    public UtilizationEntry? Resources { get; set; }

    /// <summary>The whole host, tasks and everything else: cpus busy and mem used (MB) from /proc.</summary>
    [Id(3)]
    public UtilizationEntry? Host { get; set; }

    /// <summary>When the agent took the samples of its latest report; absent until one arrives.</summary>
    [Id(4)]
    public double? Timestamp { get; set; }
}

/// <summary>A role's tasks: allocated and used; <c>total</c> is the cluster's.</summary>
[GenerateSerializer]
public sealed class RoleUtilization
{
    [Id(0)]
    public string? Role { get; set; }

    [Id(1)]
    public UtilizationEntry? Resources { get; set; }
}
