using Mesos.Orleans.Grains.Allocation;
using Mesos.Orleans.Interfaces.Resources;
using static Mesos.Orleans.UnitTests.Allocation.AllocatorHarness;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>--min_allocatable_resources (default cpus:0.01|mem:32): crumbs are not offered (Mesos's
/// Allocatable and MinAllocatableResources tests).</summary>
public sealed class MinAllocatableTests
{
    [Fact]
    public void An_agent_with_less_than_the_minimum_cpus_and_memory_is_not_offered()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role1");
        h.AddAgent("cpus:0.005;mem:16;disk:128");

        Assert.Empty(h.Allocate());
        Assert.Equal(NoOfferReason.NoMatchingResources, h.Allocator.Explain(fw).Reason);
    }

    [Fact]
    public void Enough_cpus_alone_or_enough_memory_alone_makes_an_agent_allocatable()
    {
        var h = new AllocatorHarness();
        h.AddFramework("role1");
        h.AddAgent("cpus:0.005;mem:16;disk:128");
        var cpuAgent = h.AddAgent("cpus:0.01;mem:16;disk:128");
        var memAgent = h.AddAgent("cpus:0.005;mem:32;disk:128");

        var offers = h.Allocate();

        Assert.Equal(2, offers.Count);
        Assert.Equal(Bag("cpus:0.01;mem:16;disk:128"), Sum(offers.Where(o => o.AgentId == cpuAgent)));
        Assert.Equal(Bag("cpus:0.005;mem:32;disk:128"), Sum(offers.Where(o => o.AgentId == memAgent)));
    }

    [Fact]
    public void Reserved_and_unreserved_crumbs_together_can_reach_the_minimum()
    {
        var h = new AllocatorHarness();
        h.AddFramework("role1");
        h.AddAgent("cpus:0.006;mem:16;cpus(role1):0.006;mem(role1):16;disk:128");

        var offer = Assert.Single(h.Allocate());

        Assert.Equal(Bag("cpus:0.006;mem:16;cpus(role1):0.006;mem(role1):16;disk:128"), Sum([offer]));
    }

    [Fact]
    public void A_tiny_leftover_after_a_task_is_not_offered()
    {
        var h = new AllocatorHarness();
        h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");

        h.Launch(Assert.Single(h.Allocate()), "cpus:0.995;mem:500");

        Assert.Empty(h.Allocate());
    }

    [Fact]
    public void Custom_minimums_are_honoured()
    {
        var h = new AllocatorHarness(new AllocatorOptions { MinAllocatable = [ResourceQuantities.Parse("cpus:1;mem:256")] });
        h.AddFramework("role");
        h.AddAgent("cpus:4;mem:128");
        var ok = h.AddAgent("cpus:1;mem:256");

        Assert.Equal(ok, Assert.Single(h.Allocate()).AgentId);
    }

    [Fact]
    public void With_no_minimum_any_non_empty_leftover_is_offered()
    {
        var h = new AllocatorHarness(new AllocatorOptions { MinAllocatable = [] });
        h.AddFramework("role");
        h.AddAgent("cpus:0.001");

        Assert.Single(h.Allocate());
    }

    [Fact]
    public void A_quota_limit_that_leaves_only_crumbs_offers_nothing()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("q", ResourceQuantities.Empty, Quantities("cpus:0.005;mem:16"));
        h.AddFramework("q");
        h.AddAgent("cpus:4;mem:4096");

        Assert.Empty(h.Allocate());
    }
}
