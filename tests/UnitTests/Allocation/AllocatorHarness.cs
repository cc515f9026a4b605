using Mesos.Orleans.Grains.Allocation;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Time;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>An allocator on a manual clock, with the bookkeeping a master would do around it: agents and
/// frameworks are named in order (agent1, agent2…; fw1, fw2…), every run is a full
/// snapshot/decide/commit, and offers are handed back exactly as they were made.</summary>
internal sealed class AllocatorHarness
{
    private int _agents;
    private int _frameworks;

    public AllocatorHarness(AllocatorOptions? options = null)
    {
        Time = new ManualTimeProvider();
        Allocator = new HierarchicalAllocator(options, Time);
    }

    public ManualTimeProvider Time { get; }

    public HierarchicalAllocator Allocator { get; }

    public static ResourceBag Bag(string text) => ResourceBag.Parse(text);

    public static ResourceQuantities Quantities(string text) => ResourceQuantities.Parse(text);

    /// <summary>Everything offered, without allocation info.</summary>
    public static ResourceBag Sum(IEnumerable<AllocatorOffer> offers) =>
        offers.Aggregate(ResourceBag.Empty, (sum, offer) => sum.Add(offer.Resources.WithAllocationRole(null)));

    public AgentId AddAgent(string resources) => AddAgent(resources, []);

    /// <summary>Adds an agent whose tasks already use some resources: (framework, role, resources).</summary>
    public AgentId AddAgent(string resources, params (FrameworkId Framework, string Role, string Resources)[] used)
    {
        var id = new AgentId($"agent{++_agents}");
        Allocator.AddAgent(
            id,
            id.Value,
            Bag(resources),
            used.Select(u => KeyValuePair.Create(u.Framework, Bag(u.Resources).WithAllocationRole(u.Role))));
        return id;
    }

    public FrameworkId AddFramework(params string[] roles)
    {
        var id = new FrameworkId($"fw{++_frameworks}");
        Allocator.AddFramework(id, roles);
        return id;
    }

    public IReadOnlyList<AllocatorOffer> Allocate() => Allocator.Allocate();

    /// <summary>The framework declines (or, with no refusal, just returns) the whole offer.</summary>
    public void Decline(AllocatorOffer offer, TimeSpan? refuse = null) =>
        Allocator.RecoverResources(offer.FrameworkId, offer.AgentId, offer.Resources, refuse);

    public void Decline(IEnumerable<AllocatorOffer> offers, TimeSpan? refuse = null)
    {
        foreach (var offer in offers.ToList())
        {
            Decline(offer, refuse);
        }
    }

    /// <summary>The framework keeps <paramref name="kept"/> of the offer (a task) and gives back the rest.</summary>
    public ResourceBag Launch(AllocatorOffer offer, string kept, TimeSpan? refuse = null)
    {
        var task = Bag(kept).WithAllocationRole(offer.Role);
        Allocator.RecoverResources(offer.FrameworkId, offer.AgentId, offer.Resources.Subtract(task), refuse);
        return task;
    }

    /// <summary>Allocates and declines everything offered, until a run offers nothing. Returns the offers.</summary>
    public List<AllocatorOffer> AllocateUntilQuiet(TimeSpan? refuse, int maxRuns = 50)
    {
        var all = new List<AllocatorOffer>();
        for (var run = 0; run < maxRuns; run++)
        {
            var offers = Allocate();
            if (offers.Count == 0)
            {
                return all;
            }

            all.AddRange(offers);
            Decline(offers, refuse);
        }

        throw new InvalidOperationException("Allocation did not settle");
    }
}
