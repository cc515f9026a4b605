using Mesos.Orleans.Interfaces.Json;
namespace Mesos.Orleans.Interfaces.V1;

/// <summary>mesos.v1.Resource. Accepted on input in all three of Mesos's formats (pre-refinement,
/// post-refinement and endpoint); the master converts to one internal form.</summary>
public sealed class Resource
{
    [ProtoRequired]
    public string? Name { get; set; }

    [ProtoRequired]
    public ResourceValueType? Type { get; set; }

    public Scalar? Scalar { get; set; }

    public ValueRanges? Ranges { get; set; }

    public ValueSet? Set { get; set; }

    /// <summary>Deprecated pre-refinement role; "*" means unreserved.</summary>
    public string? Role { get; set; }

    public AllocationInfo? AllocationInfo { get; set; }

    /// <summary>Deprecated pre-refinement single dynamic reservation.</summary>
    public ReservationInfo? Reservation { get; set; }

    /// <summary>The reservation stack; the last entry is the most refined.</summary>
    public List<ReservationInfo>? Reservations { get; set; }

    public DiskInfo? Disk { get; set; }

    public RevocableInfo? Revocable { get; set; }

    public SharedInfo? Shared { get; set; }
}

public sealed class AllocationInfo
{
    public string? Role { get; set; }
}

public enum ReservationType
{
    UNKNOWN = 0,
    STATIC = 1,
    DYNAMIC = 2,
}

public sealed class ReservationInfo
{
    public ReservationType? Type { get; set; }

    public string? Role { get; set; }

    public string? Principal { get; set; }

    public Labels? Labels { get; set; }
}

public sealed class DiskInfo
{
    public Persistence? Persistence { get; set; }

    public Volume? Volume { get; set; }
}

public sealed class Persistence
{
    [ProtoRequired]
    public string? Id { get; set; }

    public string? Principal { get; set; }
}

public enum VolumeMode
{
    RW = 1,
    RO = 2,
}

public sealed class Volume
{
    [ProtoRequired]
    public VolumeMode? Mode { get; set; }

    [ProtoRequired]
    public string? ContainerPath { get; set; }

    public string? HostPath { get; set; }
}

/// <summary>Present means revocable; the message has no fields.</summary>
public sealed class RevocableInfo;

/// <summary>Present means shared; the message has no fields.</summary>
public sealed class SharedInfo;
