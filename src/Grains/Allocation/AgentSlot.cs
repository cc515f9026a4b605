using System.Collections.Immutable;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Allocation;

/// <summary>One agent as the allocator sees it, immutable: a new slot replaces the old one on every
/// change, so a snapshot is just the current slots. <see cref="Version"/> changes whenever what the agent
/// can offer changes; a plan decided on an older version is not committed.</summary>
public sealed record AgentSlot
{
    public AgentSlot(AgentId id, int index, string hostname, ResourceBag total)
    {
        Id = id;
        Index = index;
        Hostname = hostname;
        Total = total;
        HasReservations = !total.Unreserved().Equals(total);
        Available = total;
    }

    public AgentId Id { get; }

    public int Index { get; }

    public string Hostname { get; }

    /// <summary>What the agent has, without allocation info.</summary>
    public ResourceBag Total { get; init; }

    /// <summary>Offered or in use by tasks, with allocation info.</summary>
    public ResourceBag Allocated { get; init; } = ResourceBag.Empty;

    /// <summary><see cref="Allocated"/> by framework, so that removing the agent releases each one's share.</summary>
    public ImmutableDictionary<FrameworkId, ResourceBag> ByFramework { get; init; } = ImmutableDictionary<FrameworkId, ResourceBag>.Empty;

    /// <summary>Total less allocated: what a run may offer. Kept, not recomputed, so it stays one object
    /// from run to run while nothing changes.</summary>
    public ResourceBag Available { get; init; }

    public bool HasReservations { get; init; }

    /// <summary>Connected and not deactivated by an operator.</summary>
    public bool Active { get; init; } = true;

    /// <summary>Draining or in a maintenance window: offered to nobody.</summary>
    public bool Unavailable { get; init; }

    public bool Eligible => Active && !Unavailable;

    public long Version { get; init; }

    public AgentFilters Filters { get; init; } = AgentFilters.None;

    /// <summary>A copy with a new total (the agent reregistered or was resized).</summary>
    public AgentSlot WithTotal(ResourceBag total, long version) => this with
    {
        Total = total,
        HasReservations = !total.Unreserved().Equals(total),
        Available = total.SubtractClamped(Allocated.WithAllocationRole(null)),
        Version = version,
    };

    /// <summary>A copy where <paramref name="framework"/> holds <paramref name="delta"/> more (or less), its
    /// available pool recomputed and its version advanced. Returns false in <paramref name="exact"/> when
    /// less was to be released than was held (an accounting error the caller counts).</summary>
    public AgentSlot WithAllocation(FrameworkId framework, ResourceBag delta, bool add, long version, out bool exact)
    {
        var held = ByFramework.GetValueOrDefault(framework) ?? ResourceBag.Empty;
        exact = add || held.Contains(delta);
        var next = add ? held.Add(delta) : exact ? held.Subtract(delta) : held.SubtractClamped(delta);
        var allocated = add ? Allocated.Add(delta) : Allocated.SubtractClamped(delta);
        return this with
        {
            ByFramework = next.IsEmpty ? ByFramework.Remove(framework) : ByFramework.SetItem(framework, next),
            Allocated = allocated,
            Available = Total.SubtractClamped(allocated.WithAllocationRole(null)),
            Version = version,
        };
    }
}
