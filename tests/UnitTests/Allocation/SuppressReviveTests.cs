using Mesos.Orleans.Grains.Allocation;
using static Mesos.Orleans.UnitTests.Allocation.AllocatorHarness;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>SUPPRESS and REVIVE, for all of a framework's roles or for some (Mesos's SuppressOffers,
/// ReviveOffers and the per-role MULTI_ROLE variants).</summary>
public sealed class SuppressReviveTests
{
    [Fact]
    public void A_suppressed_framework_is_offered_nothing_until_it_revives()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        h.Decline(Assert.Single(h.Allocate()));

        h.Allocator.Suppress(fw, null);
        Assert.Empty(h.Allocate());
        Assert.Equal(NoOfferReason.Suppressed, h.Allocator.Explain(fw).Reason);

        h.Allocator.Revive(fw, null);
        Assert.Equal(fw, Assert.Single(h.Allocate()).FrameworkId);
    }

    [Fact]
    public void A_framework_can_subscribe_with_its_roles_already_suppressed()
    {
        var h = new AllocatorHarness();
        var fw = new Interfaces.V1.FrameworkId("fw");
        h.Allocator.AddFramework(fw, ["role"], suppressedRoles: ["role"]);
        h.AddAgent("cpus:1;mem:512");

        Assert.Empty(h.Allocate());

        h.Allocator.Revive(fw, ["role"]);
        Assert.Single(h.Allocate());
    }

    [Fact]
    public void Resources_a_suppressed_framework_would_have_had_go_to_others()
    {
        var h = new AllocatorHarness();
        var fw1 = h.AddFramework("role1");
        var fw2 = h.AddFramework("role2");
        h.AddAgent("cpus:1;mem:512");
        h.Allocator.Suppress(fw1, null);

        Assert.Equal(fw2, Assert.Single(h.Allocate()).FrameworkId);
    }

    [Fact]
    public void Suppressing_one_role_of_a_multi_role_framework_leaves_its_other_roles_offered()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("r1", "r2");
        h.AddAgent("cpus:1;mem:512");
        h.Allocator.Suppress(fw, ["r1"]);

        var offer = Assert.Single(h.Allocate());
        Assert.Equal("r2", offer.Role);
        h.Decline(offer);

        h.Allocator.Suppress(fw, ["r2"]);
        Assert.Empty(h.Allocate());
        Assert.Equal(NoOfferReason.Suppressed, h.Allocator.Explain(fw).Reason);
        Assert.Equal(NoOfferReason.Suppressed, h.Allocator.Explain("r1").Reason);

        h.Allocator.Revive(fw, ["r1"]);
        offer = Assert.Single(h.Allocate());
        Assert.Equal("r1", offer.Role);
    }

    [Fact]
    public void Reviving_clears_the_framework_s_filters()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        h.Decline(Assert.Single(h.Allocate()), TimeSpan.FromHours(1));
        Assert.Empty(h.Allocate());

        h.Allocator.Revive(fw, null);

        Assert.Equal(fw, Assert.Single(h.Allocate()).FrameworkId);
    }

    [Fact]
    public void Reviving_one_role_clears_only_that_role_s_filters()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("r1", "r2");
        h.AddAgent("cpus:1;mem:512");

        // Decline in r1, then in r2: both filtered for an hour.
        var offer = Assert.Single(h.Allocate());
        Assert.Equal("r1", offer.Role);
        h.Decline(offer, TimeSpan.FromHours(1));
        offer = Assert.Single(h.Allocate());
        Assert.Equal("r2", offer.Role);
        h.Decline(offer, TimeSpan.FromHours(1));
        Assert.Empty(h.Allocate());

        h.Allocator.Revive(fw, ["r2"]);

        offer = Assert.Single(h.Allocate());
        Assert.Equal("r2", offer.Role);
    }

    [Fact]
    public void Reviving_does_not_clear_the_filters_of_other_frameworks()
    {
        var h = new AllocatorHarness();
        var fw1 = h.AddFramework("role");
        var fw2 = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        var offer = Assert.Single(h.Allocate());
        Assert.Equal(fw1, offer.FrameworkId);
        h.Decline(offer, TimeSpan.FromHours(1));
        offer = Assert.Single(h.Allocate());
        Assert.Equal(fw2, offer.FrameworkId);
        h.Decline(offer, TimeSpan.FromHours(1));

        h.Allocator.Revive(fw2, null);

        Assert.Equal(fw2, Assert.Single(h.Allocate()).FrameworkId);
    }

    [Fact]
    public void A_plan_decided_before_a_suppress_is_not_committed_for_the_suppressed_role()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        var plan = AllocationDecider.Decide(h.Allocator.TakeSnapshot());
        Assert.Single(plan.Offers);

        h.Allocator.Suppress(fw, null);

        Assert.Empty(h.Allocator.Commit(plan));
        Assert.True(h.Allocator.Agent(new("agent1"))!.Allocated.IsEmpty);
        Assert.Equal(Bag("cpus:1;mem:512"), h.Allocator.Agent(new("agent1"))!.Available);
    }
}
