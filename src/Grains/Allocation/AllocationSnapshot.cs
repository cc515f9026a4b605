using System.Collections.Immutable;

namespace Mesos.Orleans.Grains.Allocation;

/// <summary>Everything an allocation run decides on, immutable: taken on the owner's thread in
/// microseconds (references to immutable slots and views), then decided on any thread.</summary>
public sealed record AllocationSnapshot(
    DateTimeOffset Now,
    long Run,
    ImmutableArray<AgentSlot> Agents,
    ImmutableArray<FrameworkView> Frameworks,
    ImmutableDictionary<string, RoleConfig> Roles,
    AllocatorOptions Options)
{
    /// <summary>Offers made in each role (and through it, its ancestors), for the DRF sorter's tie-break.</summary>
    public ImmutableDictionary<string, long> RoleOfferCounts { get; init; } = ImmutableDictionary<string, long>.Empty;
}

/// <summary>One decided offer, not yet committed: valid only while its agent is still at the version the
/// decision saw.</summary>
public sealed record PlannedOffer(AgentSlot Agent, FrameworkView Framework, string Role, Interfaces.Resources.ResourceBag Resources)
{
    /// <summary>What the decision left on the agent after all its offers: the agent's new available pool if
    /// every offer of the agent commits. Offers of one agent are adjacent in a plan.</summary>
    public Interfaces.Resources.ResourceBag? AgentRemaining { get; init; }
}

/// <summary>The result of deciding: offers to commit, and the report of the run.</summary>
public sealed record AllocationPlan(AllocationSnapshot Snapshot, IReadOnlyList<PlannedOffer> Offers, AllocationReport Report);
