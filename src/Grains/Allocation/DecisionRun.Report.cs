namespace Mesos.Orleans.Grains.Allocation;

// The run's report: for each role and framework that got nothing, the reason, from the counters kept.
internal sealed partial class DecisionRun
{
    private AllocationReport BuildReport()
    {
        var frameworks = new Dictionary<Interfaces.V1.FrameworkId, FrameworkOutcome>();
        foreach (var group in _clients.GroupBy(c => c.Framework.Id))
        {
            var offers = group.Sum(c => c.Offers);
            var (reason, explanation) = offers > 0 ? (NoOfferReason.None, $"Received {offers} offers") : Explain(group.ToList());
            frameworks[group.Key] = new FrameworkOutcome(group.Key, offers, reason, explanation);
        }

        var roles = new Dictionary<string, RoleOutcome>(StringComparer.Ordinal);
        var clientsByRole = _clients.ToLookup(c => c.Self.Parent!);
        foreach (var node in _nodes.Values)
        {
            var clients = clientsByRole[node].ToList();
            var offers = clients.Sum(c => c.Offers);
            var (reason, explanation) = offers > 0
                ? (NoOfferReason.None, $"Received {offers} offers")
                : clients.Count == 0
                    ? (NoOfferReason.Inactive, $"Role '{node.Role}' has no subscribed framework")
                    : Explain(clients);
            roles[node.Role] = new RoleOutcome(node.Role, offers, reason, explanation);
        }

        return new AllocationReport(_snapshot.Now, _offerCount, _agents.Length, roles, frameworks);
    }

    /// <summary>The most telling reason why these clients (a framework's roles, or a role's frameworks) got nothing.</summary>
    private (NoOfferReason, string) Explain(List<Client> clients)
    {
        if (_agents.Length == 0)
        {
            return (NoOfferReason.NoAgents, "No agent is eligible: none registered, or all inactive, draining or in maintenance");
        }

        if (clients.All(c => !c.Framework.Active))
        {
            return (NoOfferReason.Inactive, "Not connected: offers go only to subscribed frameworks");
        }

        if (clients.All(c => !c.Eligible))
        {
            return (NoOfferReason.Suppressed, "Offers are suppressed (SUPPRESS); REVIVE to receive them again");
        }

        if (_agentsWithNothingAllocatable == _agents.Length)
        {
            return (NoOfferReason.NoMatchingResources, "No eligible agent has enough free resources to offer (at least the minimum allocatable)");
        }

        var live = clients.Where(c => c.Eligible).ToList();
        var selves = live.Select(c => c.Self).Distinct().ToList();
        var visits = selves.Sum(s => s.Visits);
        var considered = live.Sum(c => c.Considered);
        var filtered = live.Sum(c => c.Filtered);
        if (considered > 0 && filtered == considered)
        {
            return (NoOfferReason.Filtered, $"Refused by its own filters (DECLINE with refuse_seconds) on all {filtered} agents it was considered for");
        }

        var limit = selves.Sum(s => s.LimitReached);
        if (limit > 0 && considered == 0)
        {
            return (NoOfferReason.QuotaLimitReached, $"The quota limit of role(s) {string.Join(", ", selves.Select(s => $"'{s.Role}'"))} is reached");
        }

        var headroom = selves.Sum(s => s.HeldForHeadroom);
        if (headroom > 0 && considered == 0)
        {
            return (NoOfferReason.HeldForQuotaHeadroom, "The free resources are held back as headroom for other roles' unmet quota guarantees");
        }

        if (selves.All(s => AtLimit(s.Parent!)))
        {
            return (NoOfferReason.QuotaLimitReached, $"The quota limit of role(s) {string.Join(", ", selves.Select(s => $"'{s.Role}'"))} leaves nothing allocatable");
        }

        if (visits > 0 && selves.Sum(s => s.NothingAllocatable) == visits)
        {
            return (NoOfferReason.NoMatchingResources, $"No agent has resources role(s) {string.Join(", ", selves.Select(s => $"'{s.Role}'"))} may use (unreserved, or reserved to the role or an ancestor)");
        }

        return (NoOfferReason.LargerShareThanOthers, "The available resources went to roles or frameworks with a smaller dominant share");
    }

    /// <summary>True when the limits on a role and its ancestors leave room for no minimum allocatable offer.</summary>
    private bool AtLimit(RoleNode role)
    {
        if (!_quotaInPlay || _minimums.Length == 0)
        {
            return false;
        }

        foreach (var minimum in _minimums)
        {
            var fits = true;
            for (var i = 0; i < minimum.Length && fits; i++)
            {
                fits = minimum[i] <= 0 || LimitRoom(role, i) >= minimum[i];
            }

            if (fits)
            {
                return false;
            }
        }

        return true;
    }
}
