using Mesos.Orleans.Interfaces.Json;
using Orleans;

namespace Mesos.Orleans.Interfaces.V1;

/// <summary>mesos.v1.Resource. Accepted on input in all three of Mesos's formats (pre-refinement,
/// post-refinement and endpoint); the master converts to one internal form.</summary>
[GenerateSerializer]
public sealed class Resource
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

    /// <summary>Deprecated pre-refinement role; "*" means unreserved.</summary>
    [Id(5)]
    public string? Role { get; set; }

    [Id(6)]
    public AllocationInfo? AllocationInfo { get; set; }

    /// <summary>Deprecated pre-refinement single dynamic reservation.</summary>
    [Id(7)]
    public ReservationInfo? Reservation { get; set; }

    /// <summary>The reservation stack; the last entry is the most refined.</summary>
    [Id(8)]
    public List<ReservationInfo>? Reservations { get; set; }

    [Id(9)]
    public DiskInfo? Disk { get; set; }

    [Id(10)]
    public RevocableInfo? Revocable { get; set; }

    [Id(11)]
    public SharedInfo? Shared { get; set; }
}

[GenerateSerializer]
public sealed class AllocationInfo
{
    [Id(0)]
    public string? Role { get; set; }
}

public enum ReservationType
{
    UNKNOWN = 0,
    STATIC = 1,
    DYNAMIC = 2,
}

[GenerateSerializer]
public sealed class ReservationInfo
{
    [Id(0)]
    public ReservationType? Type { get; set; }

    [Id(1)]
    public string? Role { get; set; }

    [Id(2)]
    public string? Principal { get; set; }

    [Id(3)]
    public Labels? Labels { get; set; }
}

[GenerateSerializer]
public sealed class DiskInfo
{
    [Id(0)]
    public Persistence? Persistence { get; set; }

    [Id(1)]
    public Volume? Volume { get; set; }
}

[GenerateSerializer]
public sealed class Persistence
{
    [ProtoRequired]
    [Id(0)]
    public string? Id { get; set; }

    [Id(1)]
    public string? Principal { get; set; }
}

public enum VolumeMode
{
    RW = 1,
    RO = 2,
}

[GenerateSerializer]
public sealed class Volume
{
    [ProtoRequired]
    [Id(0)]
    public VolumeMode? Mode { get; set; }

    [ProtoRequired]
    [Id(1)]
    public string? ContainerPath { get; set; }

    [Id(2)]
    public string? HostPath { get; set; }
}

/// <summary>Present means revocable; the message has no fields.</summary>
[GenerateSerializer]
public sealed class RevocableInfo;

/// <summary>Present means shared; the message has no fields.</summary>
[GenerateSerializer]
public sealed class SharedInfo;
