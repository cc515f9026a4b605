using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Allocation;

/// <summary>The working state of one <see cref="AllocationDecider.Decide"/> call. Scalars are vectors of
/// doubles indexed by resource name, so the inner loop does arithmetic, not dictionary lookups.</summary>
internal sealed partial class DecisionRun
{
    private readonly AllocationSnapshot _snapshot;
    private readonly AllocatorOptions _options;
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoleNode> _nodes = new(StringComparer.Ordinal);
    private readonly List<Client> _clients = [];
    private List<PlannedOffer>?[] _offersByAgent = [];
    private int _offerCount;
    private double[] _delta = [];
    private readonly RoleNode _root;
    private double[] _total = [];
    private string[] _nameList = [];
    private ResourceBag[] _remaining = [];
    private AgentSlot[] _agents = [];

    // Quota: headroom available (unreserved, unallocated, on eligible agents) and required (unmet guarantees).
    private double[] _headroomAvailable = [];
    private double[] _headroomRequired = [];
    private bool _quotaInPlay;
    private double[][] _minimums = [];
    private int _agentsWithNothingAllocatable;
    private int _stamp;

    public DecisionRun(AllocationSnapshot snapshot)
    {
        _snapshot = snapshot;
        _options = snapshot.Options;
        CollectNames();
        _root = new RoleNode(string.Empty, null, isSelf: false, new RoleConfig(string.Empty, 1, ResourceQuantities.Empty, ResourceQuantities.Empty), _names.Count);
    }

    public AllocationPlan Decide()
    {
        BuildTree();
        CountReservationsAndHeadroom();
        SortEverything();

        if (_agents.Length > 0)
        {
            if (_nodes.Values.Any(n => n.Config.HasGuarantee))
            {
                ServeGuarantees();
            }

            ServeFairShares();
        }

        return new AllocationPlan(_snapshot, FlattenOffers(), BuildReport());
    }

    /// <summary>The offers, one agent's together, the last of each carrying what the agent has left.</summary>
    private List<PlannedOffer> FlattenOffers()
    {
        var offers = new List<PlannedOffer>(_offerCount);
        for (var a = 0; a < _offersByAgent.Length; a++)
        {
            if (_offersByAgent[a] is { Count: > 0 } own)
            {
                own[^1] = own[^1] with { AgentRemaining = _remaining[a] };
                offers.AddRange(own);
            }
        }

        return offers;
    }

    private void CollectNames()
    {
        foreach (var agent in _snapshot.Agents)
        {
            foreach (var entry in agent.Total.Entries)
            {
                if (entry.Key.Type == ResourceValueType.SCALAR && !_names.ContainsKey(entry.Key.Name))
                {
                    _names[entry.Key.Name] = _names.Count;
                }
            }
        }

        _total = new double[_names.Count];
        _nameList = [.. _names.OrderBy(n => n.Value).Select(n => n.Key)];
        foreach (var agent in _snapshot.Agents)
        {
            AddScalars(_total, agent.Total, 1);
        }

        // Agents are visited from a rotating start, so no agent is always first (Mesos shuffles).
        var eligible = _snapshot.Agents.Where(a => a.Eligible).ToArray();
        var start = eligible.Length == 0 ? 0 : (int)(_snapshot.Run % eligible.Length);
        _agents = [.. eligible[start..], .. eligible[..start]];
        _remaining = [.. _agents.Select(a => a.Available)];
        _offersByAgent = new List<PlannedOffer>?[_agents.Length];
        _delta = new double[_names.Count];
    }

    private RoleNode Node(string role)
    {
        if (_nodes.TryGetValue(role, out var node))
        {
            return node;
        }

        var slash = role.LastIndexOf('/');
        var parent = slash < 0 || role == RoleName.Any ? _root : Node(role[..slash]);
        var config = _snapshot.Roles.GetValueOrDefault(role) ?? new RoleConfig(role, 1, ResourceQuantities.Empty, ResourceQuantities.Empty);
        node = new RoleNode(role, parent, isSelf: false, config, _names.Count);
        parent.Children.Add(node);
        _nodes[role] = node;
        return node;
    }

    private void BuildTree()
    {
        foreach (var role in _snapshot.Roles.Keys)
        {
            Node(role);
        }

        foreach (var framework in _snapshot.Frameworks)
        {
            foreach (var role in framework.Roles)
            {
                var node = Node(role);
                if (node.Self is null)
                {
                    node.Self = new RoleNode(role, node, isSelf: true, new RoleConfig(role, 1, ResourceQuantities.Empty, ResourceQuantities.Empty), _names.Count);
                    node.Children.Add(node.Self);
                }

                var client = new Client(framework, role, node.Self, _names.Count) { Allocations = framework.OfferCounts.GetValueOrDefault(role) };
                AddQuantities(client.Allocated, framework.AllocatedIn(role), 1);
                node.Self.Clients.Add(client);
                node.Self.Allocations += client.Allocations;
                _clients.Add(client);
                for (var n = node.Self; n is not null; n = n.Parent)
                {
                    AddQuantities(n.Allocated, framework.AllocatedIn(role), 1);
                }
            }

            // What it still holds in roles it has left counts for those roles until it is given back
            // (limits and shares must see it), though it gets no new offers there.
            foreach (var (role, held) in framework.Allocated)
            {
                if (!framework.Roles.Contains(role))
                {
                    for (var n = Node(role); n is not null; n = n.Parent)
                    {
                        AddQuantities(n.Allocated, held, 1);
                    }
                }
            }
        }

        foreach (var (role, node) in _nodes)
        {
            node.Allocations = _snapshot.RoleOfferCounts.GetValueOrDefault(role);
        }

        _quotaInPlay = _nodes.Values.Any(n => n.Config.HasGuarantee || n.Config.HasLimit);
        if (_quotaInPlay)
        {
            foreach (var node in _nodes.Values)
            {
                node.LimitVector = Vector(node.Config.Limit, double.PositiveInfinity);
                node.GuaranteeVector = Vector(node.Config.Guarantee, 0);
            }

            _minimums = [.. _options.MinAllocatable.Select(m => Vector(m, 0))];
        }
    }

    private void CountReservationsAndHeadroom()
    {
        _headroomAvailable = new double[_names.Count];
        _headroomRequired = new double[_names.Count];
        if (!_quotaInPlay)
        {
            return;
        }

        foreach (var agent in _snapshot.Agents)
        {
            foreach (var entry in agent.Available.Entries)
            {
                if (entry.Key.Type != ResourceValueType.SCALAR)
                {
                    continue;
                }

                var i = _names[entry.Key.Name];
                if (entry.Key.IsReserved)
                {
                    for (var n = Node(entry.Key.ReservationRole); n is not null; n = n.Parent)
                    {
                        n.ReservedUnallocated[i] += entry.Value.Scalar.ToDouble();
                    }
                }
                else if (agent.Eligible)
                {
                    _headroomAvailable[i] += entry.Value.Scalar.ToDouble();
                }
            }
        }

        foreach (var node in TopGuaranteeNodes())
        {
            AddVector(_headroomRequired, Unsatisfied(node), 1);
        }
    }

    private void SortEverything()
    {
        foreach (var client in _clients)
        {
            client.Share = DominantShare(client.Allocated, 1);
        }

        foreach (var node in _nodes.Values.Append(_root))
        {
            node.Share = DominantShare(node.Allocated, node.Config.Weight);
            if (node.Self is { } self)
            {
                self.Share = DominantShare(self.Allocated, 1);
                self.Clients.Sort();
            }
        }

        foreach (var node in _nodes.Values.Append(_root))
        {
            node.Children.Sort();
        }
    }

    private double DominantShare(double[] allocated, double weight)
    {
        var share = 0.0;
        for (var i = 0; i < allocated.Length; i++)
        {
            if (_total[i] > 0)
            {
                share = Math.Max(share, allocated[i] / _total[i]);
            }
        }

        return share / weight;
    }

    private IEnumerable<RoleNode> TopGuaranteeNodes() =>
        _nodes.Values.Where(n => n.Config.HasGuarantee && !Ancestors(n).Any(a => a.Config.HasGuarantee));

    private static IEnumerable<RoleNode> Ancestors(RoleNode node)
    {
        for (var n = node.Parent; n is not null && n.Parent is not null; n = n.Parent)
        {
            yield return n;
        }
    }

    private bool IsSatisfied(RoleNode node)
    {
        foreach (var (name, amount) in node.Config.Guarantee.Amounts)
        {
            if (_names.TryGetValue(name, out var i) && amount.ToDouble() - node.Allocated[i] - node.ReservedUnallocated[i] > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What a role is still short of its guarantee: guarantee less allocation and unallocated reservations.</summary>
    private double[] Unsatisfied(RoleNode node)
    {
        var shortfall = new double[_names.Count];
        foreach (var (name, amount) in node.Config.Guarantee.Amounts)
        {
            if (_names.TryGetValue(name, out var i))
            {
                shortfall[i] = Math.Max(0, amount.ToDouble() - node.Allocated[i] - node.ReservedUnallocated[i]);
            }
        }

        return shortfall;
    }

    private void AddScalars(double[] vector, ResourceBag bag, double sign)
    {
        foreach (var entry in bag.Entries)
        {
            if (entry.Key.Type == ResourceValueType.SCALAR && _names.TryGetValue(entry.Key.Name, out var i))
            {
                vector[i] += sign * entry.Value.Scalar.ToDouble();
            }
        }
    }

    private void AddQuantities(double[] vector, ResourceQuantities quantities, double sign)
    {
        foreach (var (name, amount) in quantities.Amounts)
        {
            if (_names.TryGetValue(name, out var i))
            {
                vector[i] += sign * amount.ToDouble();
            }
        }
    }

    private double[] Vector(ResourceQuantities quantities, double missing)
    {
        var vector = new double[_names.Count];
        Array.Fill(vector, missing);
        foreach (var (name, amount) in quantities.Amounts)
        {
            if (_names.TryGetValue(name, out var i))
            {
                vector[i] = amount.ToDouble();
            }
        }

        return vector;
    }

    private static void AddVector(double[] into, double[] add, double sign)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] += sign * add[i];
        }
    }
}
