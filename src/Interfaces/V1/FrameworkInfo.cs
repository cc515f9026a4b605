using Mesos.Orleans.Interfaces.Json;
using Orleans;

namespace Mesos.Orleans.Interfaces.V1;

public enum FrameworkCapabilityType
{
    UNKNOWN = 0,
    REVOCABLE_RESOURCES = 1,
    TASK_KILLING_STATE = 2,
    GPU_RESOURCES = 3,
    SHARED_RESOURCES = 4,
    PARTITION_AWARE = 5,
    MULTI_ROLE = 6,
    RESERVATION_REFINEMENT = 7,
    REGION_AWARE = 8,
}

[GenerateSerializer]
public sealed class FrameworkCapability
{
    [Id(0)]
    public FrameworkCapabilityType? Type { get; set; }
}

/// <summary>mesos.v1.FrameworkInfo.</summary>
[GenerateSerializer]
public sealed class FrameworkInfo
{
    [ProtoRequired]
    [Id(0)]
    public string? User { get; set; }

    [ProtoRequired]
    [Id(1)]
    public string? Name { get; set; }

    [Id(2)]
    public FrameworkId? Id { get; set; }

    [Id(3)]
    public double? FailoverTimeout { get; set; }

    [Id(4)]
    public bool? Checkpoint { get; set; }

    /// <summary>Deprecated single role, used only without MULTI_ROLE.</summary>
    [Id(5)]
    public string? Role { get; set; }

    /// <summary>Roles of a MULTI_ROLE framework.</summary>
    [Id(6)]
    public List<string>? Roles { get; set; }

    [Id(7)]
    public string? Hostname { get; set; }

    [Id(8)]
    public string? Principal { get; set; }

    [Id(9)]
    public string? WebuiUrl { get; set; }

    [Id(10)]
    public List<FrameworkCapability>? Capabilities { get; set; }

    [Id(11)]
    public Labels? Labels { get; set; }

    public bool HasCapability(FrameworkCapabilityType type) =>
        Capabilities?.Exists(c => c.Type == type) == true;
}
