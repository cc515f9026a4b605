using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Allocation;

/// <summary>Decides an allocation run on a snapshot: a pure function, safe on any thread.
/// <para>Stage 1 serves quota guarantees: roles whose guarantee is not yet met get resources, up to what
/// they are short of. Stage 2 is hierarchical DRF: for each agent, roles are walked depth first in order of
/// weighted dominant share (a role's own frameworks compete with its subroles), and the first framework of
/// the first role that can use the agent's resources gets all it may have — Mesos's coarse-grained offers.
/// Unreserved resources are held back as headroom for unmet guarantees; quota limits are never exceeded;
/// reserved resources go only to their role and its subroles; refusal filters and suppression are honoured.</para></summary>
public static class AllocationDecider
{
    public static AllocationPlan Decide(AllocationSnapshot snapshot) => new DecisionRun(snapshot).Decide();

    /// <summary>The scalar quantities of a bag: what DRF shares and quotas are measured in (ranges and sets,
    /// such as ports, are not, as in Mesos's sorter).</summary>
    public static ResourceQuantities ScalarQuantities(ResourceBag bag) =>
        ResourceQuantities.Of(bag.Entries
            .Where(e => e.Key.Type == ResourceValueType.SCALAR)
            .Select(e => new KeyValuePair<string, FixedPoint>(e.Key.Name, e.Value.Scalar)));
}
