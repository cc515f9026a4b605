using System.Collections.Immutable;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Allocation;

/// <summary>Mesos's hierarchical DRF allocator as a component of its own: no master, no network. The owner
/// feeds it agent and framework deltas and asks for runs; a run is decided on an immutable
/// <see cref="AllocationSnapshot"/> (<see cref="AllocationDecider"/>, any thread) and committed apart
/// (<see cref="Commit"/>, the owner's thread), which drops whatever the world changed under it.
/// Not thread-safe: one owner (the master's event loop) calls everything but <see cref="AllocationDecider.Decide"/>.</summary>
public sealed class HierarchicalAllocator
{
    private readonly AllocatorOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<IReadOnlyList<AllocatorOffer>>? _offerCallback;
    private readonly Dictionary<AgentId, AgentSlot> _agents = [];
    private readonly Dictionary<FrameworkId, FrameworkView> _frameworks = [];
    private readonly Dictionary<FrameworkId, int> _frameworkIndices = [];
    private readonly Dictionary<AgentId, int> _agentIndices = [];
    private readonly Dictionary<string, RoleConfig> _roles = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, long> _roleOfferCounts = ImmutableDictionary.Create<string, long>(StringComparer.Ordinal);
    private long _version;
    private long _runs;

    public HierarchicalAllocator(AllocatorOptions? options = null, TimeProvider? time = null, Action<IReadOnlyList<AllocatorOffer>>? offerCallback = null)
    {
        _options = options ?? new AllocatorOptions();
        _time = time ?? TimeProvider.System;
        _offerCallback = offerCallback;
    }

    /// <summary>The report of the last committed run: offers made and, for whoever got none, why.</summary>
    public AllocationReport LastReport { get; private set; } = AllocationReport.Empty;

    /// <summary>Recoveries of resources that were not allocated: should stay zero; counted, not thrown.</summary>
    public long AccountingErrors { get; private set; }

    public int AgentCount => _agents.Count;

    public int FrameworkCount => _frameworks.Count;

    // ---- agents ----

    /// <summary>Adds an agent with its total, and what its running tasks already use (allocation info set).</summary>
    public void AddAgent(AgentId id, string hostname, ResourceBag total, IEnumerable<KeyValuePair<FrameworkId, ResourceBag>>? used = null)
    {
        if (_agents.ContainsKey(id))
        {
            RemoveAgent(id);
        }

        if (!_agentIndices.TryGetValue(id, out var index))
        {
            _agentIndices[id] = index = _agentIndices.Count;
        }

        var slot = new AgentSlot(id, index, hostname, total) { Version = ++_version };
        foreach (var (frameworkId, resources) in used ?? [])
        {
            slot = slot.WithAllocation(frameworkId, resources, add: true, ++_version, out _);
            if (_frameworks.ContainsKey(frameworkId))
            {
                ChangeFrameworkAllocation(frameworkId, resources, add: true);
            }
        }

        _agents[id] = slot;
    }

    /// <summary>Removes an agent; what frameworks held there is released.</summary>
    public void RemoveAgent(AgentId id)
    {
        if (!_agents.Remove(id, out var slot))
        {
            return;
        }

        foreach (var (frameworkId, held) in slot.ByFramework)
        {
            if (_frameworks.ContainsKey(frameworkId))
            {
                ChangeFrameworkAllocation(frameworkId, held, add: false);
            }
        }
    }

    public void UpdateAgentTotal(AgentId id, ResourceBag total) => Update(id, slot => slot.WithTotal(total, ++_version));

    /// <summary>RESERVE, UNRESERVE and their kin turn resources into others of the same quantity: the agent's
    /// total changes, and so does what the framework holds when it converted resources it was offered.
    /// <paramref name="from"/> and <paramref name="to"/> carry allocation info when a framework is given.</summary>
    public void ConvertResources(AgentId agentId, FrameworkId? frameworkId, ResourceBag from, ResourceBag to)
    {
        if (!_agents.TryGetValue(agentId, out var slot))
        {
            return;
        }

        slot = slot.WithTotal(slot.Total.SubtractClamped(from.WithAllocationRole(null)).Add(to.WithAllocationRole(null)), ++_version);
        if (frameworkId is { } id)
        {
            slot = slot.WithAllocation(id, from, add: false, ++_version, out var exact)
                .WithAllocation(id, to, add: true, ++_version, out _);
            AccountingErrors += exact ? 0 : 1;
            if (_frameworks.ContainsKey(id))
            {
                ChangeFrameworkAllocation(id, from, add: false);
                ChangeFrameworkAllocation(id, to, add: true);
            }
        }

        _agents[agentId] = slot;
    }

    /// <summary>Connected (or reactivated by an operator) or not.</summary>
    public void SetAgentActive(AgentId id, bool active) => Update(id, slot => slot with { Active = active, Version = ++_version });

    /// <summary>Draining or under maintenance: excluded from offers.</summary>
    public void SetAgentUnavailable(AgentId id, bool unavailable) => Update(id, slot => slot with { Unavailable = unavailable, Version = ++_version });

    public AgentSlot? Agent(AgentId id) => _agents.GetValueOrDefault(id);

    // ---- frameworks ----

    public void AddFramework(FrameworkId id, IEnumerable<string> roles, IEnumerable<string>? suppressedRoles = null, bool active = true)
    {
        if (!_frameworkIndices.TryGetValue(id, out var index))
        {
            _frameworkIndices[id] = index = _frameworkIndices.Count;
        }

        var existing = _frameworks.GetValueOrDefault(id);
        _frameworks[id] = new FrameworkView(
            id,
            index,
            [.. roles.Distinct(StringComparer.Ordinal)],
            [.. suppressedRoles ?? []],
            active,
            existing?.Allocated ?? ImmutableDictionary<string, ResourceQuantities>.Empty.WithComparers(StringComparer.Ordinal));
        if (existing is null)
        {
            // Tasks may have been running before the framework (re)subscribed, e.g. after a master failover.
            foreach (var slot in _agents.Values)
            {
                if (slot.ByFramework.TryGetValue(id, out var held))
                {
                    ChangeFrameworkAllocation(id, held, add: true);
                }
            }
        }
    }

    /// <summary>New roles or suppressed roles (UPDATE_FRAMEWORK, resubscription); filters of roles it left are dropped.</summary>
    public void UpdateFramework(FrameworkId id, IEnumerable<string> roles, IEnumerable<string>? suppressedRoles = null)
    {
        if (_frameworks.TryGetValue(id, out var framework))
        {
            AddFramework(id, roles, suppressedRoles, framework.Active);
            var left = framework.Roles.Except(_frameworks[id].Roles, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
            if (left.Count > 0)
            {
                ClearFilters(framework.Index, left);
            }
        }
    }

    /// <summary>Removes a framework; the owner recovers its offers and tasks first.</summary>
    public void RemoveFramework(FrameworkId id)
    {
        if (_frameworks.Remove(id, out var framework))
        {
            ClearFilters(framework.Index, null);
        }
    }

    public void SetFrameworkActive(FrameworkId id, bool active)
    {
        if (_frameworks.TryGetValue(id, out var framework))
        {
            _frameworks[id] = framework with { Active = active };
        }
    }

    /// <summary>SUPPRESS: no offers for these roles (all of the framework's when null).</summary>
    public void Suppress(FrameworkId id, IEnumerable<string>? roles)
    {
        if (_frameworks.TryGetValue(id, out var framework))
        {
            _frameworks[id] = framework with { Suppressed = framework.Suppressed.Union(roles ?? framework.Roles) };
        }
    }

    /// <summary>REVIVE: offers again for these roles (all when null), and their filters are cleared.</summary>
    public void Revive(FrameworkId id, IEnumerable<string>? roles)
    {
        if (_frameworks.TryGetValue(id, out var framework))
        {
            var revived = (roles ?? framework.Roles).ToHashSet(StringComparer.Ordinal);
            _frameworks[id] = framework with { Suppressed = framework.Suppressed.Except(revived) };
            ClearFilters(framework.Index, revived);
        }
    }

    public FrameworkView? Framework(FrameworkId id) => _frameworks.GetValueOrDefault(id);

    // ---- roles ----

    public void SetWeight(string role, double weight)
    {
        if (!(weight > 0) || double.IsInfinity(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "A weight must be a positive, finite number");
        }

        _roles[role] = RoleConfigOf(role) with { Weight = weight };
    }

    /// <summary>Sets a role's quota: guarantees are satisfied first and held back as headroom; limits are
    /// never exceeded by what the role (with its subroles) is allocated.</summary>
    public void SetQuota(string role, ResourceQuantities guarantee, ResourceQuantities limit) =>
        _roles[role] = RoleConfigOf(role) with { Guarantee = guarantee, Limit = limit };

    public RoleConfig RoleConfigOf(string role) =>
        _roles.GetValueOrDefault(role) ?? new RoleConfig(role, 1.0, ResourceQuantities.Empty, ResourceQuantities.Empty);

    public IReadOnlyCollection<RoleConfig> RoleConfigs => _roles.Values;

    // ---- resources ----

    /// <summary>Resources come back (declined, rescinded, unused by an ACCEPT, or freed by a task's end),
    /// with a refusal filter when <paramref name="refuse"/> is positive. Resources carry allocation info.</summary>
    public void RecoverResources(FrameworkId frameworkId, AgentId agentId, ResourceBag resources, TimeSpan? refuse = null)
    {
        if (resources.IsEmpty || !_agents.TryGetValue(agentId, out var slot))
        {
            return;
        }

        slot = slot.WithAllocation(frameworkId, resources, add: false, ++_version, out var exact);
        if (!exact)
        {
            AccountingErrors++;
        }

        if (_frameworks.TryGetValue(frameworkId, out var framework))
        {
            ChangeFrameworkAllocation(frameworkId, resources, add: false);
            if (refuse is { } refusal && refusal > TimeSpan.Zero)
            {
                refusal = refusal < _options.MinRefusal ? _options.MinRefusal : refusal;
                foreach (var (role, declined) in ByRole(resources))
                {
                    var filter = new OfferFilter(framework.Index, role, declined.WithAllocationRole(null), _time.GetUtcNow() + refusal);
                    slot = slot with { Filters = slot.Filters.With(filter) };
                }
            }
        }

        _agents[agentId] = slot;
    }

    // ---- runs ----

    /// <summary>The state a run decides on. Expired filters are swept first.</summary>
    public AllocationSnapshot TakeSnapshot()
    {
        var now = _time.GetUtcNow();
        var agents = ImmutableArray.CreateBuilder<AgentSlot>(_agents.Count);
        foreach (var (id, slot) in _agents)
        {
            var current = slot;
            if (slot.Filters.NextExpiry <= now)
            {
                _agents[id] = current = slot with { Filters = slot.Filters.WithoutExpired(now) };
            }

            agents.Add(current);
        }

        return new AllocationSnapshot(now, ++_runs, agents.MoveToImmutable(), [.. _frameworks.Values], _roles.ToImmutableDictionary(StringComparer.Ordinal), _options)
        {
            RoleOfferCounts = _roleOfferCounts,
        };
    }

    /// <summary>Applies a decided plan: offers whose agent changed since the snapshot, or whose framework
    /// left, stopped or suppressed the role, are dropped (the next run sees the new state).</summary>
    public IReadOnlyList<AllocatorOffer> Commit(AllocationPlan plan)
    {
        var committed = new List<AllocatorOffer>(plan.Offers.Count);
        var gains = new Dictionary<(FrameworkId Framework, string Role), Gain>();
        var offers = plan.Offers;
        for (var start = 0; start < offers.Count;)
        {
            var end = start + 1;
            while (end < offers.Count && ReferenceEquals(offers[end].Agent, offers[start].Agent))
            {
                end++;
            }

            CommitAgent(offers, start, end, committed, gains);
            start = end;
        }

        foreach (var ((frameworkId, role), gain) in gains)
        {
            var framework = _frameworks[frameworkId];
            var gained = ResourceQuantities.Of(gain.Milli.Select(a => new KeyValuePair<string, FixedPoint>(a.Key, FixedPoint.FromMilli(a.Value))));
            _frameworks[frameworkId] = framework with
            {
                Allocated = framework.Allocated.SetItem(role, framework.AllocatedIn(role).Add(gained)),
                OfferCounts = framework.OfferCounts.SetItem(role, framework.OfferCounts.GetValueOrDefault(role) + gain.Offers),
            };
            CountRoleOffers(role, gain.Offers);
        }

        LastReport = plan.Report;
        if (committed.Count > 0)
        {
            _offerCallback?.Invoke(committed);
        }

        return committed;
    }

    /// <summary>A whole run on the caller's thread: snapshot, decide, commit.</summary>
    public IReadOnlyList<AllocatorOffer> Allocate() => Commit(AllocationDecider.Decide(TakeSnapshot()));

    /// <summary>Why the role got nothing in the last run (or <see cref="NoOfferReason.None"/>).</summary>
    public RoleOutcome Explain(string role) =>
        LastReport.Roles.GetValueOrDefault(role) ?? new RoleOutcome(role, 0, NoOfferReason.Inactive, $"Role '{role}' has no framework and took no part in the last run");

    /// <summary>Why the framework got nothing in the last run (or <see cref="NoOfferReason.None"/>).</summary>
    public FrameworkOutcome Explain(FrameworkId framework) =>
        LastReport.Frameworks.GetValueOrDefault(framework) ?? new FrameworkOutcome(framework, 0, NoOfferReason.Inactive, $"Framework {framework} took no part in the last run");

    /// <summary>Commits one agent's offers (plan[start..end)) if the agent is still what the decision saw.
    /// Its new available pool is the one the decision computed when every offer commits.</summary>
    private void CommitAgent(
        IReadOnlyList<PlannedOffer> offers, int start, int end, List<AllocatorOffer> committed,
        Dictionary<(FrameworkId Framework, string Role), Gain> gains)
    {
        var decided = offers[start].Agent;
        if (!_agents.TryGetValue(decided.Id, out var slot) || slot.Version != decided.Version || !slot.Eligible)
        {
            return;
        }

        var byFramework = slot.ByFramework;
        var allocated = slot.Allocated;
        var all = true;
        for (var i = start; i < end; i++)
        {
            var offer = offers[i];
            if (!_frameworks.TryGetValue(offer.Framework.Id, out var framework) || !framework.Active
                || framework.Suppressed.Contains(offer.Role) || !framework.Roles.Contains(offer.Role))
            {
                all = false;
                continue;
            }

            byFramework = byFramework.SetItem(framework.Id, (byFramework.GetValueOrDefault(framework.Id) ?? ResourceBag.Empty).Add(offer.Resources));
            allocated = allocated.Add(offer.Resources);
            if (!gains.TryGetValue((framework.Id, offer.Role), out var gain))
            {
                gains[(framework.Id, offer.Role)] = gain = new Gain();
            }

            gain.Offers++;
            foreach (var entry in offer.Resources.Entries)
            {
                if (entry.Key.Type == Interfaces.V1.ResourceValueType.SCALAR)
                {
                    gain.Milli[entry.Key.Name] = gain.Milli.GetValueOrDefault(entry.Key.Name) + entry.Value.Scalar.Milli;
                }
            }

            committed.Add(new AllocatorOffer(framework.Id, slot.Id, offer.Role, offer.Resources));
        }

        _agents[slot.Id] = slot with
        {
            ByFramework = byFramework,
            Allocated = allocated,
            Available = all && offers[end - 1].AgentRemaining is { } remaining ? remaining : slot.Total.SubtractClamped(allocated.WithAllocationRole(null)),
            Version = ++_version,
        };
    }

    private void CountRoleOffers(string role, long offers)
    {
        for (var path = role; path.Length > 0; path = path.LastIndexOf('/') is var slash and > 0 ? path[..slash] : string.Empty)
        {
            _roleOfferCounts = _roleOfferCounts.SetItem(path, _roleOfferCounts.GetValueOrDefault(path) + offers);
        }
    }

    /// <summary>What one commit gives one framework in one role, summed before its view is rewritten once.</summary>
    private sealed class Gain
    {
        public Dictionary<string, long> Milli { get; } = new(StringComparer.Ordinal);

        public long Offers { get; set; }
    }

    /// <summary>Resources split by allocation role; one role (the usual case) costs no grouping.</summary>
    private static IEnumerable<(string Role, ResourceBag Resources)> ByRole(ResourceBag resources)
    {
        var first = resources.Entries.IsEmpty ? null : resources.Entries[0].Key.AllocationRole;
        var single = true;
        foreach (var entry in resources.Entries)
        {
            if (!string.Equals(entry.Key.AllocationRole, first, StringComparison.Ordinal))
            {
                single = false;
                break;
            }
        }

        return single
            ? first is null ? [] : [(first, resources)]
            : resources.Allocations().Select(pair => (pair.Key, pair.Value));
    }

    private void Update(AgentId id, Func<AgentSlot, AgentSlot> change)
    {
        if (_agents.TryGetValue(id, out var slot))
        {
            _agents[id] = change(slot);
        }
    }

    private void ClearFilters(int frameworkIndex, IReadOnlySet<string>? roles)
    {
        foreach (var (id, slot) in _agents.ToList())
        {
            if (slot.Filters.MayFilter(frameworkIndex))
            {
                _agents[id] = slot with { Filters = slot.Filters.Without(frameworkIndex, roles) };
            }
        }
    }

    private void ChangeFrameworkAllocation(FrameworkId id, ResourceBag resources, bool add)
    {
        var framework = _frameworks[id];
        var allocated = framework.Allocated;
        foreach (var (role, bag) in ByRole(resources))
        {
            var quantities = AllocationDecider.ScalarQuantities(bag);
            var current = allocated.GetValueOrDefault(role) ?? ResourceQuantities.Empty;
            var next = add ? current.Add(quantities) : current.SubtractClamped(quantities);
            allocated = next.IsEmpty ? allocated.Remove(role) : allocated.SetItem(role, next);
        }

        _frameworks[id] = framework with { Allocated = allocated };
    }
}
