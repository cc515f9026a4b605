using Mesos.Orleans.Interfaces.Json;
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

public sealed class FrameworkCapability
{
    public FrameworkCapabilityType? Type { get; set; }
}

/// <summary>mesos.v1.FrameworkInfo.</summary>
public sealed class FrameworkInfo
{
    [ProtoRequired]
    public string? User { get; set; }

    [ProtoRequired]
    public string? Name { get; set; }

    public FrameworkId? Id { get; set; }

    public double? FailoverTimeout { get; set; }

    public bool? Checkpoint { get; set; }

    /// <summary>Deprecated single role, used only without MULTI_ROLE.</summary>
    public string? Role { get; set; }

    /// <summary>Roles of a MULTI_ROLE framework.</summary>
    public List<string>? Roles { get; set; }

    public string? Hostname { get; set; }

    public string? Principal { get; set; }

    public string? WebuiUrl { get; set; }

    public List<FrameworkCapability>? Capabilities { get; set; }

    public Labels? Labels { get; set; }

    public bool HasCapability(FrameworkCapabilityType type) =>
        Capabilities?.Exists(c => c.Type == type) == true;
}
