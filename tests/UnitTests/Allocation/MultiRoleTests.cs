using Mesos.Orleans.Grains.Allocation;
using static Mesos.Orleans.UnitTests.Allocation.AllocatorHarness;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>MULTI_ROLE frameworks: offers are made to the framework in one of its roles, resources carry
/// that role as allocation info, and each role competes by its own share.</summary>
public sealed class MultiRoleTests
{
    [Fact]
    public void Each_role_of_a_multi_role_framework_is_offered_its_own_reservation_tagged_with_that_role()
    {
        var h = new AllocatorHarness();
        var agent = h.AddAgent("cpus(r1):1;mem(r1):512;cpus(r2):2;mem(r2):1024");
        var fw = h.AddFramework("r1", "r2");

        var offers = h.Allocate();

        Assert.Equal(2, offers.Count);
        Assert.All(offers, o => Assert.Equal(fw, o.FrameworkId));
        Assert.All(offers, o => Assert.Equal(agent, o.AgentId));
        var r1 = Assert.Single(offers, o => o.Role == "r1");
        var r2 = Assert.Single(offers, o => o.Role == "r2");
        Assert.Equal(Bag("cpus(r1):1;mem(r1):512").WithAllocationRole("r1"), r1.Resources);
        Assert.Equal(Bag("cpus(r2):2;mem(r2):1024").WithAllocationRole("r2"), r2.Resources);
    }

    [Fact]
    public void A_multi_role_framework_is_offered_in_the_role_with_the_smaller_share()
    {
        var h = new AllocatorHarness();
        var busy = h.AddFramework("r1");
        var multi = h.AddFramework("r1", "r2");
        h.AddAgent("cpus:4;mem:4096", (busy, "r1", "cpus:4;mem:4096"));
        h.AddAgent("cpus:1;mem:512");

        var offer = Assert.Single(h.Allocate());

        Assert.Equal(multi, offer.FrameworkId);
        Assert.Equal("r2", offer.Role);
        Assert.Equal(Bag("cpus:1;mem:512").WithAllocationRole("r2"), offer.Resources);
    }

    [Fact]
    public void What_a_multi_role_framework_holds_in_one_role_does_not_count_in_its_other_roles()
    {
        // multi holds 4 cpus in r1; in r2 it holds nothing, so inside r2 it is ahead of other (1 cpu).
        var h = new AllocatorHarness();
        var multi = h.AddFramework("r1", "r2");
        var other = h.AddFramework("r2");
        h.AddAgent("cpus:4;mem:4096", (multi, "r1", "cpus:4;mem:4096"));
        h.AddAgent("cpus:1;mem:1024", (other, "r2", "cpus:1;mem:1024"));
        h.Allocator.SetWeight("r1", 100);
        h.AddAgent("cpus:1;mem:1024");

        // r1 (0.67 / 100) is ahead of r2 (0.17) and gets the agent; and the offer goes to multi in r1.
        var offer = Assert.Single(h.Allocate());
        Assert.Equal(multi, offer.FrameworkId);
        Assert.Equal("r1", offer.Role);

        // Now only r2 may have it: inside r2, multi (0) is behind other (1 cpu).
        h.Allocator.Suppress(multi, ["r1"]);
        h.Decline(offer);
        offer = Assert.Single(h.Allocate());
        Assert.Equal(multi, offer.FrameworkId);
        Assert.Equal("r2", offer.Role);
    }

    [Fact]
    public void Resources_recovered_with_their_allocation_role_are_released_from_that_role()
    {
        var h = new AllocatorHarness();
        var multi = h.AddFramework("r1", "r2");
        var agent = h.AddAgent("cpus:2;mem:1024");

        var offer = Assert.Single(h.Allocate());
        Assert.Equal("r1", offer.Role);
        h.Decline(offer);

        Assert.Equal(0, h.Allocator.AccountingErrors);
        Assert.True(h.Allocator.Framework(multi)!.Allocated.IsEmpty);
        Assert.True(h.Allocator.Agent(agent)!.Allocated.IsEmpty);
    }

    [Fact]
    public void A_framework_that_adds_a_role_is_offered_resources_reserved_to_it()
    {
        var h = new AllocatorHarness();
        h.AddAgent("cpus(r2):1;mem(r2):512");
        var fw = h.AddFramework("r1");
        Assert.Empty(h.Allocate());

        h.Allocator.UpdateFramework(fw, ["r1", "r2"]);
        var offer = Assert.Single(h.Allocate());

        Assert.Equal("r2", offer.Role);
    }

    [Fact]
    public void A_framework_that_leaves_a_role_is_no_longer_offered_in_it()
    {
        var h = new AllocatorHarness();
        h.AddAgent("cpus(r2):1;mem(r2):512");
        var fw = h.AddFramework("r1", "r2");
        var offer = Assert.Single(h.Allocate());
        h.Decline(offer);

        h.Allocator.UpdateFramework(fw, ["r1"]);

        Assert.Empty(h.Allocate());
        Assert.Equal(NoOfferReason.NoMatchingResources, h.Allocator.Explain(fw).Reason);
    }
}
