using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mesos.Orleans.Grains.Allocation;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Benchmarks.Allocator;

/// <summary>Mesos's <c>HierarchicalAllocator_BENCHMARK_Test.DeclineOffers</c>
/// (src/tests/hierarchical_allocator_tests.cpp): every agent is <c>cpus:24;mem:4096;disk:4096;ports:[31000-32000]</c>
/// of which <c>cpus:16;mem:2014;disk:1024</c> and 16 two-port ranges are already used by a task of one framework
/// (round-robin over the frameworks); all frameworks are in role "*". A round hands the previous round's offers
/// back — declined with a 365-day refusal filter (Mesos: <c>refuse_seconds=INT_MAX</c>), or, in the "no filters"
/// variant, recovered without one — then runs one full allocation. Only the allocation is timed, as in Mesos.</summary>
internal sealed class DeclineOffersWorkload
{
    public const string AgentResources = "cpus:24;mem:4096;disk:4096;ports:[31000-32000]";

    private static readonly TimeSpan Refusal = TimeSpan.FromDays(365);

    private readonly HierarchicalAllocator _allocator = new(new AllocatorOptions());
    private readonly bool _decline;
    private IReadOnlyList<AllocatorOffer> _offers = [];
    private int _round;

    public DeclineOffersWorkload(int agents, int frameworks, bool decline)
    {
        Agents = agents;
        Frameworks = frameworks;
        _decline = decline;

        var start = Stopwatch.GetTimestamp();
        var frameworkIds = new FrameworkId[frameworks];
        for (var i = 0; i < frameworks; i++)
        {
            frameworkIds[i] = new FrameworkId(string.Create(CultureInfo.InvariantCulture, $"framework-{i:D5}"));
            _allocator.AddFramework(frameworkIds[i], [RoleName.Any]);
        }

        var total = ResourceBag.Parse(AgentResources);
        var used = UsedByTasks();
        for (var i = 0; i < agents; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"agent-{i:D6}");
            _allocator.AddAgent(new AgentId(id), id, total, [new(frameworkIds[i % frameworks], used)]);
        }

        SetupMs = RunMeter.Ms(start, Stopwatch.GetTimestamp());
    }

    public int Agents { get; }

    public int Frameworks { get; }

    public double SetupMs { get; }

    public long AccountingErrors => _allocator.AccountingErrors;

    /// <summary>What each agent's tasks use, as in Mesos: <c>cpus:16;mem:2014;disk:1024</c> plus 16 ranges of two
    /// ports spread over [31000-32000] (Mesos's <c>makePortRanges(makeRange(31000, 32000), 16)</c>), allocated to "*".</summary>
    public static ResourceBag UsedByTasks()
    {
        const int begin = 31000, end = 32000, ranges = 16;
        var step = (end - begin) / ranges;
        var ports = new StringBuilder();
        for (var i = 0; i < ranges; i++)
        {
            var from = begin + (i * step);
            ports.Append(ports.Length == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $"{from}-{from + 1}");
        }

        return ResourceBag.Parse($"cpus:16;mem:2014;disk:1024;ports:[{ports}]").WithAllocationRole(RoleName.Any);
    }

    /// <summary>One round: hand back what the last round offered, then allocate (timed).</summary>
    public RunSample Round()
    {
        var start = Stopwatch.GetTimestamp();
        foreach (var offer in _offers)
        {
            _allocator.RecoverResources(offer.FrameworkId, offer.AgentId, offer.Resources, _decline ? Refusal : null);
        }

        var declineMs = RunMeter.Ms(start, Stopwatch.GetTimestamp());
        _offers = [];
        var sample = RunMeter.Measure(_allocator, _round++, declineMs, out var offers);
        _offers = offers;
        return sample;
    }
}
