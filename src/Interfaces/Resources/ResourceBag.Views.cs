using System.Collections.Immutable;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>Filters, projections and totals: the questions the allocator and the master ask of a bag.</summary>
public sealed partial class ResourceBag
{
    /// <summary>The distinct resource names, in first-insertion order.</summary>
    public IEnumerable<string> Names => _entries.Select(static e => e.Key.Name).Distinct(StringComparer.Ordinal);

    /// <summary>True when some entry has a refined (multi-level) reservation, which the pre-refinement
    /// format cannot express; such resources must not be sent to frameworks without
    /// RESERVATION_REFINEMENT.</summary>
    public bool HasRefinedReservations => _entries.Any(static e => e.Key.IsRefined);

    /// <summary>Name → total amount, for fairness shares and quota: scalars summed over every entry whatever
    /// its reservation or allocation, RANGES counted as the number of values (ports), SET as the number of
    /// items. Sorted by name (ordinal) so iteration order is deterministic.</summary>
    public ImmutableSortedDictionary<string, FixedPoint> Quantities => _quantities ??= ComputeQuantities();

    public ResourceBag Filter(Func<ResourceEntry, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var builder = ImmutableArray.CreateBuilder<ResourceEntry>(_entries.Length);
        foreach (var entry in _entries)
        {
            if (predicate(entry))
            {
                builder.Add(entry);
            }
        }

        // Keys are untouched, so the result is still canonical and needs no re-combining.
        return builder.Count == _entries.Length ? this : builder.Count == 0 ? Empty : new ResourceBag(builder.DrainToImmutable());
    }

    /// <summary>Rewrites every key; entries whose new keys coincide are combined.</summary>
    public ResourceBag MapKeys(Func<ResourceKey, ResourceKey> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return Of(_entries.Select(e => new ResourceEntry(map(e.Key), e.Value)));
    }

    public ResourceBag Unreserved() => Filter(static e => e.Key.IsUnreserved);

    /// <summary>Reserved resources; with a role, only those whose (most refined) reservation is to exactly
    /// that role, as Mesos's <c>reserved(role)</c>.</summary>
    public ResourceBag Reserved(string? role = null) =>
        role is null
            ? Filter(static e => e.Key.IsReserved)
            : Filter(e => e.Key.IsReserved && string.Equals(e.Key.ReservationRole, role, StringComparison.Ordinal));

    /// <summary>Resources reserved to <paramref name="role"/> or to any of its ancestors ("eng" for
    /// "eng/backend"): the reservations a framework in that role may use.</summary>
    public ResourceBag ReservedToRoleOrAncestors(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return Filter(e => e.Key.IsReserved && RoleName.IsSelfOrAncestor(e.Key.ReservationRole, role));
    }

    /// <summary>What may be offered to a framework in <paramref name="role"/>: unreserved resources plus
    /// those reserved to the role or one of its ancestors (Mesos's <c>allocatableTo</c>).</summary>
    public ResourceBag AllocatableTo(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return Filter(e => e.Key.IsAllocatableTo(role));
    }

    /// <summary>Entries whose allocation_info.role is <paramref name="role"/>.</summary>
    public ResourceBag AllocatedTo(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return Filter(e => string.Equals(e.Key.AllocationRole, role, StringComparison.Ordinal));
    }

    /// <summary>Groups the bag by allocation role; entries without one are left out.</summary>
    public ImmutableSortedDictionary<string, ResourceBag> Allocations() =>
        _entries
            .Where(static e => e.Key.AllocationRole is not null)
            .GroupBy(static e => e.Key.AllocationRole!, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(static g => g.Key, static g => Of(g), StringComparer.Ordinal);

    public ResourceBag Revocable() => Filter(static e => e.Key.Revocable);

    public ResourceBag NonRevocable() => Filter(static e => !e.Key.Revocable);

    public ResourceBag Shared() => Filter(static e => e.Key.Shared);

    public ResourceBag NonShared() => Filter(static e => !e.Key.Shared);

    public ResourceBag PersistentVolumes() => Filter(static e => e.Key.IsPersistentVolume);

    public ResourceBag Named(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Filter(e => string.Equals(e.Key.Name, name, StringComparison.Ordinal));
    }

    /// <summary>Sets (or with null clears) allocation_info.role on every entry: the master tags resources
    /// with the role they are offered to for MULTI_ROLE frameworks and strips it for the others.</summary>
    public ResourceBag WithAllocationRole(string? role)
    {
        var keep = true;
        var single = true;
        var first = _entries.IsEmpty ? null : _entries[0].Key.AllocationRole;
        foreach (var entry in _entries)
        {
            keep &= string.Equals(entry.Key.AllocationRole, role, StringComparison.Ordinal);
            single &= string.Equals(entry.Key.AllocationRole, first, StringComparison.Ordinal);
        }

        if (keep)
        {
            return this;
        }

        // All entries from one role (or none): keys stay distinct after the change, so no re-combining.
        if (single)
        {
            var builder = ImmutableArray.CreateBuilder<ResourceEntry>(_entries.Length);
            foreach (var entry in _entries)
            {
                builder.Add(new ResourceEntry(entry.Key.WithAllocationRole(role), entry.Value));
            }

            return new ResourceBag(builder.MoveToImmutable());
        }

        return MapKeys(k => k.WithAllocationRole(role));
    }

    /// <summary>Drops reservations and allocation roles so only "what" and "how much" remain, for capacity
    /// arithmetic that must not care who owns what. Revocable, shared and persistent-volume markers stay:
    /// they change what the resource is, not who it is for.</summary>
    public ResourceBag Flatten() =>
        _entries.All(static e => e.Key.IsUnreserved && e.Key.AllocationRole is null)
            ? this
            : MapKeys(static k => k.IsUnreserved && k.AllocationRole is null
                ? k
                : new ResourceKey(k.Name, k.Type, null, null, k.Revocable, k.Shared, k.Disk));

    /// <summary>Adds a level on top of every entry's reservation stack (a RESERVE operation).</summary>
    public ResourceBag PushReservation(ResourceReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return MapKeys(k => k.PushReservation(reservation));
    }

    /// <summary>Removes the top level of every entry's reservation stack (an UNRESERVE operation).</summary>
    /// <exception cref="InvalidOperationException">Some entry is not reserved.</exception>
    public ResourceBag PopReservation() => MapKeys(static k => k.PopReservation());

    /// <summary>The total of the SCALAR resource <paramref name="name"/> over all entries, whatever their
    /// reservation or allocation.</summary>
    public FixedPoint ScalarOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var total = FixedPoint.Zero;
        foreach (var entry in _entries)
        {
            if (entry.Key.Type == ResourceValueType.SCALAR && string.Equals(entry.Key.Name, name, StringComparison.Ordinal))
            {
                total += entry.Value.Scalar;
            }
        }

        return total;
    }

    /// <summary>The union of the RANGES resource <paramref name="name"/> over all entries.</summary>
    public ValueRangeSet Ranges(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var total = ValueRangeSet.Empty;
        foreach (var entry in _entries)
        {
            if (entry.Key.Type == ResourceValueType.RANGES && string.Equals(entry.Key.Name, name, StringComparison.Ordinal))
            {
                total = total.Union(entry.Value.Ranges);
            }
        }

        return total;
    }

    /// <summary>The union of the SET resource <paramref name="name"/> over all entries.</summary>
    public ImmutableSortedSet<string> SetOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var total = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
        foreach (var entry in _entries)
        {
            if (entry.Key.Type == ResourceValueType.SET && string.Equals(entry.Key.Name, name, StringComparison.Ordinal))
            {
                total = total.Union(entry.Value.Set);
            }
        }

        return total;
    }

    private ImmutableSortedDictionary<string, FixedPoint> ComputeQuantities()
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, FixedPoint>(StringComparer.Ordinal);
        foreach (var entry in _entries)
        {
            var quantity = entry.Value.Quantity;
            builder[entry.Key.Name] = builder.TryGetValue(entry.Key.Name, out var sum)
                ? SaturatingAdd(sum, quantity)
                : quantity;
        }

        return builder.ToImmutable();
    }

    private static FixedPoint SaturatingAdd(FixedPoint left, FixedPoint right) =>
        long.MaxValue - left.Milli < right.Milli ? FixedPoint.MaxValue : left + right;
}
