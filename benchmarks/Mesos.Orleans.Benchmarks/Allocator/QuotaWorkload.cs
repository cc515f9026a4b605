using System.Diagnostics;
using System.Globalization;
using Mesos.Orleans.Grains.Allocation;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Benchmarks.Allocator;

/// <summary>Mesos's <c>BENCHMARK_HierarchicalAllocator_WithQuotaParam.LargeAndSmallQuota</c>
/// (src/tests/hierarchical_allocator_benchmarks.cpp): agents <c>cpus:2;mem:2048;disk:2048</c>, one framework per
/// role; small-quota roles get <c>cpus:1;mem:1024;disk:1024</c> (half an agent: agents are chopped), large-quota
/// roles <c>cpus:4;mem:4096;disk:4096</c> (two agents). Agent count is <c>small / 5 + large × 5</c> as in Mesos.
/// Mesos's <c>createQuota</c> sets guarantee and limit alike, and so does this. One full allocation cycle is
/// measured (Mesos: "Made 3500 allocations in …"), then one more cycle in which nothing is left to allocate.</summary>
internal sealed class QuotaWorkload
{
    public const string AgentResources = "cpus:2;mem:2048;disk:2048";
    public const string SmallQuota = "cpus:1;mem:1024;disk:1024";
    public const string LargeQuota = "cpus:4;mem:4096;disk:4096";

    private readonly HierarchicalAllocator _allocator = new(new AllocatorOptions());

    public QuotaWorkload(int smallRoles, int largeRoles)
    {
        SmallRoles = smallRoles;
        LargeRoles = largeRoles;
        Agents = (smallRoles / 5) + (largeRoles * 5);

        var start = Stopwatch.GetTimestamp();
        var roles = new List<(string Role, ResourceQuantities Quota)>(smallRoles + largeRoles);
        var small = ResourceQuantities.Parse(SmallQuota);
        var large = ResourceQuantities.Parse(LargeQuota);
        for (var i = 0; i < smallRoles; i++)
        {
            roles.Add((string.Create(CultureInfo.InvariantCulture, $"smallQuotaRole{i}"), small));
            _allocator.AddFramework(new FrameworkId(string.Create(CultureInfo.InvariantCulture, $"framework_small_{i}")), [roles[^1].Role]);
        }

        for (var i = 0; i < largeRoles; i++)
        {
            roles.Add((string.Create(CultureInfo.InvariantCulture, $"largeQuotaRole{i}"), large));
            _allocator.AddFramework(new FrameworkId(string.Create(CultureInfo.InvariantCulture, $"framework_large_{i}")), [roles[^1].Role]);
        }

        var total = ResourceBag.Parse(AgentResources);
        for (var i = 0; i < Agents; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"agent-{i:D6}");
            _allocator.AddAgent(new AgentId(id), id, total);
        }

        foreach (var (role, quota) in roles)
        {
            _allocator.SetQuota(role, quota, quota);
        }

        SetupMs = RunMeter.Ms(start, Stopwatch.GetTimestamp());
    }

    public int SmallRoles { get; }

    public int LargeRoles { get; }

    public int Agents { get; }

    public int Roles => SmallRoles + LargeRoles;

    public double SetupMs { get; }

    /// <summary>Allocations Mesos makes in the first cycle: each small role half an agent, each large role two agents.</summary>
    public int ExpectedOffers => SmallRoles + (2 * LargeRoles);

    /// <summary>The full cycle, then the empty one.</summary>
    public (RunSample Full, RunSample Empty) Run()
    {
        var full = RunMeter.Measure(_allocator, 0, 0, out _);
        var empty = RunMeter.Measure(_allocator, 1, 0, out _);
        return (full, empty);
    }
}
