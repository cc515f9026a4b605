using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>What makes a "disk" resource a persistent volume: its persistence ID (unique per agent and
/// role) and the volume it is mounted as. A persistent volume is an identity, not a quantity, so it is
/// part of the resource key; disk without persistence has no DiskPersistence at all.
/// Unlike Mesos, which ignores the volume when comparing, the volume fields take part in equality here:
/// a persistent volume is always created with one volume and keeps it, so this only matters for a
/// framework that echoes a volume back with different mount details, and that is then simply not
/// contained in the offer.</summary>
public sealed record DiskPersistence(
    string Id,
    string? Principal = null,
    string? ContainerPath = null,
    VolumeMode? Mode = null,
    string? HostPath = null);
