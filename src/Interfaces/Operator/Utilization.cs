using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Operator;

/// <summary>GET_UTILIZATION (ours): what is allocated against what is really used, per agent, per role
/// and for the cluster, from the agents' latest usage reports. See docs/master-api.md.</summary>
public sealed class GetUtilization
{
    public UtilizationEntry? Cluster { get; set; }

    public List<AgentUtilization>? Agents { get; set; }

    public List<RoleUtilization>? Roles { get; set; }
}

/// <summary>cpus in cpus; mem in MB, as Mesos's mem resource.</summary>
public sealed class UtilizationEntry
{
    public ResourceUtilization? Cpus { get; set; }

    public ResourceUtilization? Mem { get; set; }
}

/// <summary>One resource: <c>allocated</c> to tasks, <c>used</c> by them (measured), and the <c>total</c>.</summary>
public sealed class ResourceUtilization
{
    public double Allocated { get; set; }

    public double Used { get; set; }

    public double Total { get; set; }
}

public sealed class AgentUtilization
{
    public AgentId? AgentId { get; set; }

    public string? Hostname { get; set; }

    public UtilizationEntry? Resources { get; set; }

    /// <summary>The whole host, tasks and everything else: cpus busy and mem used (MB) from /proc.</summary>
    public UtilizationEntry? Host { get; set; }

    /// <summary>When the agent took the samples of its latest report; absent until one arrives.</summary>
    public double? Timestamp { get; set; }
}

/// <summary>A role's tasks: allocated and used; <c>total</c> is the cluster's.</summary>
public sealed class RoleUtilization
{
    public string? Role { get; set; }

    public UtilizationEntry? Resources { get; set; }
}
