using System.Collections.Immutable;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Allocation;

/// <summary>A framework as the allocator sees it, immutable: its roles, which of them are suppressed,
/// whether it is connected, and what it holds in each role (offered or in use).</summary>
public sealed record FrameworkView(
    FrameworkId Id,
    int Index,
    ImmutableArray<string> Roles,
    ImmutableHashSet<string> Suppressed,
    bool Active,
    ImmutableDictionary<string, ResourceQuantities> Allocated)
{
    /// <summary>Offers made to the framework in each role, for the DRF sorter's tie-break.</summary>
    public ImmutableDictionary<string, long> OfferCounts { get; init; } = ImmutableDictionary<string, long>.Empty;

    public ResourceQuantities AllocatedIn(string role) =>
        Allocated.TryGetValue(role, out var quantities) ? quantities : ResourceQuantities.Empty;
}

/// <summary>A role's configuration: its weight and its quota.</summary>
public sealed record RoleConfig(string Role, double Weight, ResourceQuantities Guarantee, ResourceQuantities Limit)
{
    public bool HasGuarantee => !Guarantee.IsEmpty;

    /// <summary>Limits name only the resources they restrict; an empty limit restricts nothing.</summary>
    public bool HasLimit => !Limit.IsEmpty;
}
