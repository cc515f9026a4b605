using System.Collections.Immutable;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>Everything about a resource except how much of it there is. Two entries with equal keys are the
/// same kind of thing and their amounts combine (cpus reserved for "eng" plus more cpus reserved for "eng");
/// entries whose keys differ in anything (name, value type, reservation stack, allocation role, revocable,
/// shared, persistent volume) stay apart, because the master must never hand out one as the other.
/// Immutable; the hash is computed once since keys are looked up on every bag operation.</summary>
public sealed class ResourceKey : IEquatable<ResourceKey>
{
    private ResourceKey? _roleMemo;

    private readonly int _hash;

    public ResourceKey(
        string name,
        ResourceValueType type,
        IEnumerable<ResourceReservation>? reservations = null,
        string? allocationRole = null,
        bool revocable = false,
        bool shared = false,
        DiskPersistence? disk = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Type = type;
        Reservations = reservations is null ? [] : [.. reservations];
        AllocationRole = allocationRole;
        Revocable = revocable;
        Shared = shared;
        Disk = disk;

        var hash = new HashCode();
        hash.Add(Name, StringComparer.Ordinal);
        hash.Add(Type);
        foreach (var reservation in Reservations)
        {
            hash.Add(reservation);
        }

        hash.Add(AllocationRole, StringComparer.Ordinal);
        hash.Add(Revocable);
        hash.Add(Shared);
        hash.Add(Disk);
        _hash = hash.ToHashCode();
    }

    public string Name { get; }

    public ResourceValueType Type { get; }

    /// <summary>The reservation stack, outermost first; the last entry is the most refined and decides who
    /// may use the resources. Empty for unreserved resources.</summary>
    public ImmutableArray<ResourceReservation> Reservations { get; }

    /// <summary>The role the resources are offered or allocated to (allocation_info.role), or null.</summary>
    public string? AllocationRole { get; }

    public bool Revocable { get; }

    public bool Shared { get; }

    public DiskPersistence? Disk { get; }

    /// <summary>The role the resources are reserved to (the top of the stack), or "*" when unreserved.</summary>
    public string ReservationRole => Reservations.IsEmpty ? RoleName.Any : Reservations[^1].Role;

    public bool IsReserved => !Reservations.IsEmpty;

    public bool IsUnreserved => Reservations.IsEmpty;

    public bool IsDynamicallyReserved => !Reservations.IsEmpty && Reservations[^1].Type == ReservationType.DYNAMIC;

    /// <summary>More than one level of reservation: cannot be shown in the pre-refinement format.</summary>
    public bool IsRefined => Reservations.Length > 1;

    public bool IsPersistentVolume => Disk is not null;

    /// <summary>Whether the resources may be offered to or used by a framework in <paramref name="role"/>:
    /// unreserved ones may, reserved ones only when reserved to the role itself or to one of its ancestors
    /// (a reservation for "eng" serves "eng/backend" too).</summary>
    public bool IsAllocatableTo(string role) =>
        Reservations.IsEmpty || RoleName.IsSelfOrAncestor(ReservationRole, role);

    public ResourceKey WithAllocationRole(string? role)
    {
        if (string.Equals(role, AllocationRole, StringComparison.Ordinal))
        {
            return this;
        }

        // Offers move the same keys between "no role" and one role over and over; remembering the last
        // conversion spares an allocation per entry. A benign race: both threads compute an equal key.
        var memo = _roleMemo;
        if (memo is not null && string.Equals(memo.AllocationRole, role, StringComparison.Ordinal))
        {
            return memo;
        }

        var key = new ResourceKey(Name, Type, Reservations, role, Revocable, Shared, Disk);
        _roleMemo = key;
        return key;
    }

    public ResourceKey WithReservations(IEnumerable<ResourceReservation>? reservations) =>
        new(Name, Type, reservations, AllocationRole, Revocable, Shared, Disk);

    public ResourceKey PushReservation(ResourceReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return WithReservations(Reservations.Add(reservation));
    }

    public ResourceKey PopReservation() =>
        Reservations.IsEmpty
            ? throw new InvalidOperationException($"Resource '{Name}' is not reserved")
            : WithReservations(Reservations.RemoveAt(Reservations.Length - 1));

    public static bool operator ==(ResourceKey? left, ResourceKey? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(ResourceKey? left, ResourceKey? right) => !(left == right);

    public bool Equals(ResourceKey? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (_hash == other._hash
                && Type == other.Type
                && Revocable == other.Revocable
                && Shared == other.Shared
                && string.Equals(Name, other.Name, StringComparison.Ordinal)
                && string.Equals(AllocationRole, other.AllocationRole, StringComparison.Ordinal)
                && Reservations.AsSpan().SequenceEqual(other.Reservations.AsSpan())
                && Equals(Disk, other.Disk)));

    public override bool Equals(object? obj) => Equals(obj as ResourceKey);

    public override int GetHashCode() => _hash;

    /// <summary>The Mesos text form of the key, without the value: "cpus", "cpus(eng)" for a single static
    /// reservation (which <see cref="ResourceBag.Parse"/> reads back), and otherwise Mesos's descriptive
    /// annotations, e.g. "cpus(reservations: [(DYNAMIC,eng,alice)])(allocated: eng){REV}".</summary>
    public override string ToString()
    {
        var text = Name;
        if (Reservations.Length == 1 && Reservations[0] is { Type: ReservationType.STATIC, Principal: null, Labels.IsEmpty: true } only)
        {
            text += "(" + only.Role + ")";
        }
        else if (!Reservations.IsEmpty)
        {
            text += "(reservations: [" + string.Join(",", Reservations) + "])";
        }

        if (AllocationRole is not null)
        {
            text += "(allocated: " + AllocationRole + ")";
        }

        if (Disk is not null)
        {
            text += "[" + Disk.Id + (Disk.ContainerPath is null ? string.Empty : ":" + Disk.ContainerPath) + "]";
        }

        if (Revocable)
        {
            text += "{REV}";
        }

        if (Shared)
        {
            text += "<SHARED>";
        }

        return text;
    }
}
