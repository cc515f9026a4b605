using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Allocation;

// The two stages of a run and the bookkeeping of one allocation.
internal sealed partial class DecisionRun
{
    /// <summary>Stage 1: roles short of their guarantee, smallest share first, get what they are short of.</summary>
    private void ServeGuarantees()
    {
        var waiting = new ShareOrder<QuotaMember>();
        var members = new Dictionary<RoleNode, QuotaMember>();
        foreach (var node in _nodes.Values.Where(n => n.Config.HasGuarantee && SelvesUnder(n).Any() && !IsSatisfied(n)))
        {
            var member = new QuotaMember(node) { Share = node.Share };
            waiting.Add(member);
            members[node] = member;
        }

        waiting.Sort();
        for (var a = 0; a < _agents.Length && waiting.Count > 0; a++)
        {
            _stamp++;
            var served = true;
            while (served && Allocatable(_remaining[a]))
            {
                served = false;
                for (var m = 0; m < waiting.Count; m++)
                {
                    var node = waiting[m].Node;
                    if (!SelvesUnder(node).Any(self => self.ServedStamp != _stamp && TryServe(a, self, node)))
                    {
                        continue;
                    }

                    // Shares and shortfalls moved: refresh the order, drop roles now satisfied.
                    for (var n = node; n is not null; n = n.Parent)
                    {
                        if (members.TryGetValue(n, out var member))
                        {
                            if (IsSatisfied(n))
                            {
                                waiting.Remove(member);
                                members.Remove(n);
                            }
                            else
                            {
                                waiting.Update(member, n.Share);
                            }
                        }
                    }

                    served = true;
                    break;
                }
            }
        }
    }

    /// <summary>Stage 2: hierarchical DRF over every role, agent by agent.</summary>
    private void ServeFairShares()
    {
        for (var a = 0; a < _agents.Length; a++)
        {
            _stamp++;
            if (!Allocatable(_remaining[a]))
            {
                _agentsWithNothingAllocatable++;
                continue;
            }

            while (Allocatable(_remaining[a]) && Walk(a, _root))
            {
            }
        }
    }

    /// <summary>Depth first in share order; true once something was allocated on the agent.</summary>
    private bool Walk(int agent, RoleNode node)
    {
        if (node.IsSelf)
        {
            return node.ServedStamp != _stamp && !node.Blocked && TryServe(agent, node, guaranteeNode: null);
        }

        if (node.Blocked)
        {
            return false;
        }

        for (var i = 0; i < node.Children.Count; i++)
        {
            if (Walk(agent, node.Children[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Marks a role blocked for the rest of the run and, when that was its parent's last open
    /// child, the parent too, so walks skip whole subtrees that can take nothing.</summary>
    private static void Block(RoleNode node)
    {
        for (var n = node; !n.Blocked; n = n.Parent!)
        {
            n.Blocked = true;
            if (n.Parent is null || ++n.Parent.BlockedChildren < n.Parent.Children.Count)
            {
                return;
            }
        }
    }

    /// <summary>Offers the agent's resources that the role may have to its first framework that wants them.</summary>
    private bool TryServe(int agent, RoleNode self, RoleNode? guaranteeNode)
    {
        self.Visits++;
        var slot = _agents[agent];
        var role = self.Role;
        var offerable = slot.HasReservations ? _remaining[agent].AllocatableTo(role) : _remaining[agent];
        if (offerable.IsEmpty)
        {
            self.NothingAllocatable++;
            return false;
        }

        if (_quotaInPlay)
        {
            if (!slot.HasReservations && !RoomForMinimum(self.Parent!, guaranteeNode, out var limited))
            {
                if (limited)
                {
                    self.LimitReached++;
                }
                else
                {
                    self.HeldForHeadroom++;
                }

                // Limits and headroom only tighten within a run: stage 2 need not ask this role again.
                if (guaranteeNode is null)
                {
                    Block(self);
                }

                return false;
            }

            var capped = CapUnreserved(offerable, self.Parent!, guaranteeNode, out var byLimit);
            if (!Allocatable(capped))
            {
                if (byLimit)
                {
                    self.LimitReached++;
                }
                else
                {
                    self.HeldForHeadroom++;
                }

                return false;
            }

            offerable = capped;
        }
        else if (!Allocatable(offerable))
        {
            self.NothingAllocatable++;
            return false;
        }

        var filters = slot.Filters;
        var fitsPool = filters.Count > 0 && filters.Pool is { } pool && pool.Contains(offerable);
        for (var c = 0; c < self.Clients.Count; c++)
        {
            var client = self.Clients[c];
            if (!client.Eligible)
            {
                continue;
            }

            client.Considered++;
            if (filters.Count > 0 && filters.Refuses(client.Framework.Index, role, client.SingleRole, offerable, fitsPool))
            {
                client.Filtered++;
                continue;
            }

            Allocate(agent, client, offerable);
            self.ServedStamp = _stamp;
            return true;
        }

        return false;
    }

    /// <summary>Shrinks the unreserved scalars of an offer so that quota limits (of the role and its
    /// ancestors) hold, headroom for unmet guarantees is kept, and, in stage 1, the role gets no more than
    /// it is short of. Reserved resources are already counted as consumed, so they pass untouched.</summary>
    private ResourceBag CapUnreserved(ResourceBag offerable, RoleNode role, RoleNode? guaranteeNode, out bool byLimit)
    {
        // Stage 1 serves a guarantee role's shortfall; in stage 2 a role under an unmet guarantee may still
        // use the headroom held for that guarantee, since allocating it shrinks the headroom needed alike.
        var shortfallOf = guaranteeNode ?? TopGuaranteeAncestor(role);
        var shortfall = shortfallOf is null ? null : Unsatisfied(shortfallOf);
        var caps = new double[_names.Count];
        Array.Fill(caps, double.PositiveInfinity);
        var limitCaps = new bool[_names.Count];
        for (var i = 0; i < caps.Length; i++)
        {
            var room = LimitRoom(role, i);
            if (room < caps[i])
            {
                caps[i] = Math.Max(0, room);
                limitCaps[i] = true;
            }
        }

        for (var i = 0; i < caps.Length; i++)
        {
            // A role serving its own guarantee may use the headroom held for it; others may not.
            var own = shortfall?[i] ?? 0;
            if (_headroomRequired[i] > 0)
            {
                var free = Math.Max(0, _headroomAvailable[i] - _headroomRequired[i] + own);
                if (free < caps[i])
                {
                    caps[i] = free;
                    limitCaps[i] = false;
                }
            }

            if (guaranteeNode is not null && guaranteeNode.Config.Guarantee.Has(NameOf(i)) && own < caps[i])
            {
                caps[i] = own;
                limitCaps[i] = false;
            }
        }

        var entries = new List<ResourceEntry>(offerable.Count);
        var changed = false;
        byLimit = false;
        foreach (var entry in offerable.Entries)
        {
            if (entry.Key.Type != ResourceValueType.SCALAR || entry.Key.IsReserved)
            {
                entries.Add(entry);
                continue;
            }

            var i = _names[entry.Key.Name];
            var amount = entry.Value.Scalar.ToDouble();
            if (amount <= caps[i])
            {
                caps[i] -= amount;
                entries.Add(entry);
                continue;
            }

            changed = true;
            byLimit |= limitCaps[i];
            var kept = FixedPoint.FromMilli((long)Math.Floor(caps[i] * FixedPoint.Scale));
            caps[i] = 0;
            if (!kept.IsZero)
            {
                entries.Add(new ResourceEntry(entry.Key, ResourceValue.FromScalar(kept)));
            }
        }

        return changed ? ResourceBag.Of(entries) : offerable;
    }

    /// <summary>A cheap first look, with no allocation: could any minimum allocatable offer pass the role's
    /// limits and the headroom held for guarantees? False when not; <paramref name="byLimit"/> says which bound.</summary>
    private bool RoomForMinimum(RoleNode role, RoleNode? guaranteeNode, out bool byLimit)
    {
        byLimit = false;
        if (_options.MinAllocatable.Count == 0)
        {
            return true;
        }

        var shortfallOf = guaranteeNode ?? TopGuaranteeAncestor(role);
        var blockedByLimit = false;
        foreach (var minimum in _minimums)
        {
            var fits = true;
            for (var i = 0; i < minimum.Length; i++)
            {
                var need = minimum[i];
                if (need <= 0)
                {
                    continue;
                }

                if (LimitRoom(role, i) < need)
                {
                    fits = false;
                    blockedByLimit = true;
                    break;
                }

                var own = shortfallOf is null ? 0 : Math.Max(0, shortfallOf.GuaranteeVector![i] - shortfallOf.Allocated[i] - shortfallOf.ReservedUnallocated[i]);
                if (_headroomRequired[i] > 0 && _headroomAvailable[i] - _headroomRequired[i] + own < need)
                {
                    fits = false;
                    break;
                }
            }

            if (fits)
            {
                return true;
            }
        }

        byLimit = blockedByLimit;
        return false;
    }

    private static double LimitRoom(RoleNode role, int index)
    {
        var room = double.PositiveInfinity;
        for (var n = role; n.Parent is not null; n = n.Parent)
        {
            room = Math.Min(room, n.LimitVector![index] - n.Allocated[index] - n.ReservedUnallocated[index]);
        }

        return room;
    }

    private void Allocate(int agent, Client client, ResourceBag resources)
    {
        var delta = _delta;
        Array.Clear(delta);
        AddScalars(delta, resources, 1);
        _remaining[agent] = _remaining[agent].Subtract(resources);

        AddVector(client.Allocated, delta, 1);
        client.Self.Clients.Update(client, DominantShare(client.Allocated, 1), allocated: true);
        client.Offers++;
        client.Self.Offers++;

        if (_quotaInPlay)
        {
            var top = TopGuaranteeAncestor(client.Self.Parent!);
            var before = top is null ? null : Unsatisfied(top);
            for (var n = client.Self.Parent; n is not null; n = n.Parent)
            {
                AddVector(n.Allocated, delta, 1);
            }

            foreach (var entry in resources.Entries.Where(e => e.Key.Type == ResourceValueType.SCALAR))
            {
                var i = _names[entry.Key.Name];
                if (entry.Key.IsReserved)
                {
                    for (var n = Node(entry.Key.ReservationRole); n is not null; n = n.Parent)
                    {
                        n.ReservedUnallocated[i] -= entry.Value.Scalar.ToDouble();
                    }
                }
                else
                {
                    _headroomAvailable[i] -= entry.Value.Scalar.ToDouble();
                }
            }

            if (top is not null)
            {
                AddVector(_headroomRequired, before!, -1);
                AddVector(_headroomRequired, Unsatisfied(top), 1);
            }

            // Allocated was updated above; shares follow.
            AddVector(client.Self.Allocated, delta, 1);
            for (var n = client.Self; n.Parent is not null; n = n.Parent)
            {
                n.Parent.Children.Update(n, DominantShare(n.Allocated, n.IsSelf ? 1 : n.Config.Weight), allocated: true);
            }
        }
        else
        {
            for (var n = client.Self; n.Parent is not null; n = n.Parent)
            {
                AddVector(n.Allocated, delta, 1);
                n.Parent.Children.Update(n, DominantShare(n.Allocated, n.IsSelf ? 1 : n.Config.Weight), allocated: true);
            }

            AddVector(_root.Allocated, delta, 1);
        }

        (_offersByAgent[agent] ??= []).Add(new PlannedOffer(_agents[agent], client.Framework, client.Role, resources.WithAllocationRole(client.Role)));
        _offerCount++;
    }

    /// <summary>The self nodes (frameworks' own leaves) of a role and its subroles, in share order.</summary>
    private static IEnumerable<RoleNode> SelvesUnder(RoleNode node)
    {
        if (node.Children.Count == 1 && node.Self is { } only)
        {
            // The usual guarantee role: frameworks of its own and no subroles.
            return [only];
        }

        return AllSelvesUnder(node);
    }

    private static IEnumerable<RoleNode> AllSelvesUnder(RoleNode node)
    {
        if (node.IsSelf)
        {
            yield return node;
            yield break;
        }

        for (var i = 0; i < node.Children.Count; i++)
        {
            foreach (var self in AllSelvesUnder(node.Children[i]))
            {
                yield return self;
            }
        }
    }

    private bool Allocatable(ResourceBag bag)
    {
        if (bag.IsEmpty)
        {
            return false;
        }

        if (_options.MinAllocatable.Count == 0)
        {
            return true;
        }

        foreach (var minimum in _options.MinAllocatable)
        {
            var enough = true;
            foreach (var (name, amount) in minimum.Amounts)
            {
                if (bag.ScalarOf(name) < amount)
                {
                    enough = false;
                    break;
                }
            }

            if (enough)
            {
                return true;
            }
        }

        return false;
    }

    private string NameOf(int index) => _nameList[index];

    /// <summary>The outermost role with a guarantee among the role and its ancestors: the one whose shortfall
    /// counts in the required headroom.</summary>
    private static RoleNode? TopGuaranteeAncestor(RoleNode role)
    {
        RoleNode? top = null;
        for (var n = role; n.Parent is not null; n = n.Parent)
        {
            if (n.Config.HasGuarantee)
            {
                top = n;
            }
        }

        return top;
    }

    /// <summary>A guarantee role in stage 1's order, with a share of its own so that it can sit in two orders.</summary>
    private sealed class QuotaMember(RoleNode node) : ShareMember
    {
        public RoleNode Node { get; } = node;

        public override string SortKey => Node.Role;
    }
}
