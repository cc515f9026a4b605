using Mesos.Orleans.Grains.Allocation;
using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.Grains.Core;

// Offers: runs of the hierarchical allocator, decided beside the loop on a snapshot and committed on it;
// offer bookkeeping, offer timeouts, and every way resources go back to the allocator.
public sealed partial class MasterCore
{
    private readonly ITimer _allocationTimer;
    private readonly HierarchicalAllocator _allocator;
    private readonly Dictionary<OfferId, ITimer> _offerTimers = [];
    private int _allocationPending;
    private bool _runInFlight;
    private bool _runRequested;

    /// <summary>Completed allocation runs; exported as a metric.</summary>
    public long AllocationRuns { get; private set; }

    /// <summary>The report of the last run: for every role and framework that got nothing, why.</summary>
    public Task<AllocationReport> GetAllocationReportAsync() => _loop.InvokeAsync(() => _allocator.LastReport);

    public Task SetWeightAsync(string role, double weight) => _loop.InvokeAsync(() =>
    {
        _allocator.SetWeight(role, weight);
        RequestAllocation();
    });

    public Task SetQuotaAsync(string role, ResourceQuantities guarantee, ResourceQuantities limit) => _loop.InvokeAsync(() =>
    {
        _allocator.SetQuota(role, guarantee, limit);
        RequestAllocation();
    });

    /// <summary>Asks for an allocation run; requests coalesce: at most one run is pending, and requests made
    /// while a run is being decided lead to exactly one more run after it.</summary>
    private void RequestAllocation()
    {
        if (Interlocked.Exchange(ref _allocationPending, 1) == 0)
        {
            _loop.Post(() =>
            {
                Volatile.Write(ref _allocationPending, 0);
                StartRun();
            });
        }
    }

    private void StartRun()
    {
        if (_runInFlight)
        {
            _runRequested = true;
            return;
        }

        _runInFlight = true;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var snapshot = _allocator.TakeSnapshot();
        _ = Task.Run(() => AllocationDecider.Decide(snapshot)).ContinueWith(
            decided =>
            {
                var decidedAt = System.Diagnostics.Stopwatch.GetTimestamp();
                _loop.Post(() => FinishRun(decided, started, decidedAt));
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }

    private void FinishRun(Task<AllocationPlan> decided, long started, long decidedAt)
    {
        _runInFlight = false;
        AllocationRuns++;
        if (decided.IsFaulted)
        {
            _logger.LogError(decided.Exception, "An allocation run failed");
        }
        else
        {
            SendOffers(_allocator.Commit(decided.Result));
            RecordRun(started, decidedAt, System.Diagnostics.Stopwatch.GetTimestamp());
        }

        if (_runRequested)
        {
            _runRequested = false;
            RequestAllocation();
        }
    }

    private void SendOffers(IReadOnlyList<AllocatorOffer> allocated)
    {
        foreach (var group in allocated.GroupBy(o => o.FrameworkId))
        {
            if (!_frameworks.TryGetValue(group.Key, out var framework))
            {
                continue;
            }

            var batch = new List<Offer>();
            foreach (var allocation in group)
            {
                var resources = allocation.Resources;
                if (!_agents.TryGetValue(allocation.AgentId, out var agent))
                {
                    _allocator.RecoverResources(allocation.FrameworkId, allocation.AgentId, resources);
                    continue;
                }

                // Frameworks without RESERVATION_REFINEMENT cannot read refined reservations: Mesos does not offer them.
                if (!framework.Info.HasCapability(FrameworkCapabilityType.RESERVATION_REFINEMENT) && resources.HasRefinedReservations)
                {
                    var refined = resources.Filter(e => e.Key.IsRefined);
                    _allocator.RecoverResources(allocation.FrameworkId, allocation.AgentId, refined);
                    resources = resources.Subtract(refined);
                    if (resources.IsEmpty)
                    {
                        continue;
                    }
                }

                var offer = new OfferEntity(NewOfferId(), framework.Id, agent.Id, resources, allocation.Role);
                _offers[offer.Id] = offer;
                framework.Offers[offer.Id] = offer;
                agent.Offered = agent.Offered.Add(offer.Resources);
                StartOfferTimer(offer);
                batch.Add(ToWire(offer, framework, agent));
            }

            if (batch.Count > 0)
            {
                SendToFramework(framework, new Event { Type = EventType.OFFERS, Offers = new OffersEvent { Offers = batch } });
            }
        }
    }

    /// <summary>Mesos's --offer_timeout: an offer held too long is rescinded and its resources go back.</summary>
    private void StartOfferTimer(OfferEntity offer)
    {
        if (_options.OfferTimeout is not { } timeout)
        {
            return;
        }

        _offerTimers[offer.Id] = _time.CreateTimer(
            _ => _loop.Post(() =>
            {
                if (_offers.TryGetValue(offer.Id, out var current))
                {
                    RemoveOffer(current, rescind: true);
                    RequestAllocation();
                }
            }),
            null,
            timeout,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>Takes an offer out of circulation and gives its resources back to the allocator, with a
    /// refusal filter when the framework declined them.</summary>
    private void RemoveOffer(OfferEntity offer, bool rescind, TimeSpan? refuse = null)
    {
        _offers.Remove(offer.Id);
        if (_offerTimers.Remove(offer.Id, out var timer))
        {
            timer.Dispose();
        }

        if (_agents.TryGetValue(offer.AgentId, out var agent))
        {
            agent.Offered = agent.Offered.Subtract(offer.Resources);
        }

        _allocator.RecoverResources(offer.FrameworkId, offer.AgentId, offer.Resources, refuse);
        if (_frameworks.TryGetValue(offer.FrameworkId, out var framework))
        {
            framework.Offers.Remove(offer.Id);
            if (rescind)
            {
                SendToFramework(framework, new Event { Type = EventType.RESCIND, Rescind = new RescindEvent { OfferId = offer.Id } });
            }
        }
    }

    /// <summary>An offer's resources less what the accepted tasks took: those stay allocated to the framework
    /// (they are its tasks' now), the rest goes back, with the ACCEPT's filter.</summary>
    private void ConsumeOffer(OfferEntity offer)
    {
        _offers.Remove(offer.Id);
        if (_offerTimers.Remove(offer.Id, out var timer))
        {
            timer.Dispose();
        }

        if (_agents.TryGetValue(offer.AgentId, out var agent))
        {
            agent.Offered = agent.Offered.Subtract(offer.Resources);
        }

        if (_frameworks.TryGetValue(offer.FrameworkId, out var framework))
        {
            framework.Offers.Remove(offer.Id);
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
