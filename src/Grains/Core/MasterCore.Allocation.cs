using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

// Offers: a simple fair allocator (least share first), refusal filters, coalesced runs, offer bookkeeping.
public sealed partial class MasterCore
{
    private readonly ITimer _allocationTimer;
    private readonly Dictionary<(FrameworkId Framework, AgentId Agent), DateTimeOffset> _refusals = [];

    // Timers that end refusals; held so they are not collected before they fire.
    private readonly Dictionary<(FrameworkId Framework, AgentId Agent), ITimer> _refusalTimers = [];
    private int _allocationPending;

    /// <summary>Completed allocation runs; exported as a metric.</summary>
    public long AllocationRuns { get; private set; }

    /// <summary>Asks for an allocation run; at most one is pending at a time, however many events ask.</summary>
    private void RequestAllocation()
    {
        if (Interlocked.Exchange(ref _allocationPending, 1) == 0)
        {
            _loop.Post(() =>
            {
                Volatile.Write(ref _allocationPending, 0);
                Allocate();
            });
        }
    }

    /// <summary>Offers each connected agent's available resources to the framework roles with the smallest
    /// dominant share first, skipping suppressed roles and refusal filters. A framework gets at most one
    /// offer per agent per run, so one agent's resources can be shared between frameworks in turn.</summary>
    private void Allocate()
    {
        AllocationRuns++;
        var now = _time.GetUtcNow();
        var candidates = _frameworks.Values
            .Where(f => f.Connected)
            .SelectMany(f => f.Roles.Where(r => !f.SuppressedRoles.Contains(r)).Select(r => (Framework: f, Role: r)))
            .ToList();
        if (candidates.Count == 0)
        {
            return;
        }

        var clusterTotal = _agents.Values.Where(a => a.Connected).Aggregate(ResourceBag.Empty, (sum, a) => sum.Add(a.Total.Flatten()));
        var shares = candidates.Select(c => c.Framework).Distinct().ToDictionary(f => f.Id, f => DominantShare(f, clusterTotal));
        var batches = new Dictionary<FrameworkId, List<Offer>>();

        foreach (var agent in _agents.Values.Where(a => a.Connected))
        {
            var available = agent.Available;
            foreach (var (framework, role) in candidates.OrderBy(c => shares[c.Framework.Id]).ThenBy(c => c.Framework.RegisteredTime))
            {
                if (available.IsEmpty)
                {
                    break;
                }

                if (IsRefused(framework.Id, agent.Id, now) || framework.Offers.Values.Any(o => o.AgentId == agent.Id))
                {
                    continue;
                }

                var offerable = available.AllocatableTo(role);
                if (offerable.IsEmpty)
                {
                    continue;
                }

                var offer = new OfferEntity(NewOfferId(), framework.Id, agent.Id, offerable.WithAllocationRole(role), role);
                _offers[offer.Id] = offer;
                framework.Offers[offer.Id] = offer;
                agent.Offered = agent.Offered.Add(offer.Resources);
                available = available.Subtract(offerable);
                shares[framework.Id] = DominantShare(framework, clusterTotal);
                if (!batches.TryGetValue(framework.Id, out var batch))
                {
                    batches[framework.Id] = batch = [];
                }

                batch.Add(ToWire(offer, framework, agent));
            }
        }

        foreach (var (frameworkId, offers) in batches)
        {
            SendToFramework(_frameworks[frameworkId], new Event { Type = EventType.OFFERS, Offers = new OffersEvent { Offers = offers } });
        }
    }

    private double DominantShare(FrameworkEntity framework, ResourceBag clusterTotal)
    {
        var held = framework.Tasks.Values.Where(t => !t.IsTerminal).Aggregate(ResourceBag.Empty, (sum, t) => sum.Add(t.Resources.Flatten()));
        held = framework.Offers.Values.Aggregate(held, (sum, o) => sum.Add(o.Resources.Flatten()));
        var share = 0.0;
        foreach (var (name, total) in clusterTotal.Quantities)
        {
            if (total.ToDouble() > 0)
            {
                share = Math.Max(share, held.ScalarOf(name).ToDouble() / total.ToDouble());
            }
        }

        return share;
    }

    private bool IsRefused(FrameworkId framework, AgentId agent, DateTimeOffset now)
    {
        if (!_refusals.TryGetValue((framework, agent), out var until))
        {
            return false;
        }

        if (until > now)
        {
            return true;
        }

        _refusals.Remove((framework, agent));
        return false;
    }

    private void AddFilter(FrameworkId framework, AgentId agent, TimeSpan refusal)
    {
        if (refusal <= TimeSpan.Zero)
        {
            return;
        }

        _refusals[(framework, agent)] = _time.GetUtcNow() + refusal;

        // A run when the filter lapses, so the resources come back without waiting for another event.
        _refusalTimers.Remove((framework, agent), out var previous);
        previous?.Dispose();
        _refusalTimers[(framework, agent)] = _time.CreateTimer(_ => RequestAllocation(), null, refusal, Timeout.InfiniteTimeSpan);
    }

    private void ClearFilters(FrameworkId framework)
    {
        foreach (var key in _refusals.Keys.Where(k => k.Framework == framework).ToList())
        {
            _refusals.Remove(key);
            _refusalTimers.Remove(key, out var timer);
            timer?.Dispose();
        }
    }

    /// <summary>Takes an offer out of circulation, returning its resources to the agent's pool.</summary>
    private void RemoveOffer(OfferEntity offer, bool rescind)
    {
        _offers.Remove(offer.Id);
        if (_agents.TryGetValue(offer.AgentId, out var agent))
        {
            agent.Offered = agent.Offered.Subtract(offer.Resources);
        }

        if (_frameworks.TryGetValue(offer.FrameworkId, out var framework))
        {
            framework.Offers.Remove(offer.Id);
            if (rescind)
            {
                SendToFramework(framework, new Event { Type = EventType.RESCIND, Rescind = new RescindEvent { OfferId = offer.Id } });
            }
        }
    }

    /// <summary>The offer as this framework reads it: MULTI_ROLE frameworks see allocation_info; others get the
    /// pre-refinement resource format without it, as Mesos sends.</summary>
    private static Offer ToWire(OfferEntity offer, FrameworkEntity framework, AgentEntity agent)
    {
        var multiRole = framework.MultiRole;
        var format = framework.Info.HasCapability(FrameworkCapabilityType.RESERVATION_REFINEMENT)
            ? ResourceFormat.PostRefinement
            : ResourceFormat.PreRefinement;
        var resources = multiRole ? offer.Resources : offer.Resources.WithAllocationRole(null);
        return new Offer
        {
            Id = offer.Id,
            FrameworkId = offer.FrameworkId,
            AgentId = offer.AgentId,
            Hostname = agent.Info.Hostname,
            Url = agent.Url,
            Resources = resources.ToWire(format),
            Attributes = agent.Info.Attributes,
            AllocationInfo = multiRole ? new AllocationInfo { Role = offer.Role } : null,
        };
    }
}
