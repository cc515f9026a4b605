using Mesos.Orleans.Grains.Allocation;
using Mesos.Orleans.Interfaces.Resources;
using static Mesos.Orleans.UnitTests.Allocation.AllocatorHarness;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>Quota: guarantees are served before fair shares and their unmet part is held back as
/// headroom; limits are never exceeded by a role with its subroles (Mesos's QuotaProvidesGuarantee,
/// QuotaHeadroom and quota limit tests).</summary>
public sealed class QuotaTests
{
    [Fact]
    public void A_role_below_its_guarantee_is_served_first_even_with_a_larger_share()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("q", Quantities("cpus:6;mem:3072"), ResourceQuantities.Empty);
        var quota = h.AddFramework("q");
        h.AddFramework("nq");
        h.AddAgent("cpus:4;mem:2048", (quota, "q", "cpus:4;mem:2048"));
        h.AddAgent("cpus:1;mem:512");
        h.AddAgent("cpus:1;mem:512");

        // q holds 4 of 6 cpus, nq nothing; plain DRF would give both agents to nq.
        var offers = h.Allocate();

        Assert.Equal(2, offers.Count);
        Assert.All(offers, o => Assert.Equal(quota, o.FrameworkId));
    }

    [Fact]
    public void Resources_a_declining_quota_role_needs_for_its_guarantee_are_not_given_to_other_roles()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("q", Quantities("cpus:2;mem:1024"), ResourceQuantities.Empty);
        var quota = h.AddFramework("q");
        var other = h.AddFramework("nq");
        h.AddAgent("cpus:1;mem:512");
        h.AddAgent("cpus:1;mem:512");

        var offers = h.Allocate();
        Assert.Equal(2, offers.Count);
        Assert.All(offers, o => Assert.Equal(quota, o.FrameworkId));

        // The quota framework declines one agent for 5 s: it is held back as headroom, not given to nq.
        h.Decline(offers[1], TimeSpan.FromSeconds(5));
        Assert.Empty(h.Allocate());
        Assert.Equal(NoOfferReason.HeldForQuotaHeadroom, h.Allocator.Explain(other).Reason);

        // Once the filter expires, the quota framework gets it back.
        h.Time.Advance(TimeSpan.FromSeconds(5));
        var offer = Assert.Single(h.Allocate());
        Assert.Equal(quota, offer.FrameworkId);
        Assert.Equal(offers[1].AgentId, offer.AgentId);
    }

    [Fact]
    public void Headroom_is_held_for_a_guarantee_even_when_the_quota_role_has_no_framework()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("q", Quantities("cpus:2;mem:1024"), ResourceQuantities.Empty);
        var other = h.AddFramework("nq");
        h.AddAgent("cpus:4;mem:2048");

        var offer = Assert.Single(h.Allocate());

        Assert.Equal(other, offer.FrameworkId);
        Assert.Equal(Bag("cpus:2;mem:1024"), Sum([offer]));
        Assert.Empty(h.Allocate());
        Assert.Equal(NoOfferReason.HeldForQuotaHeadroom, h.Allocator.Explain(other).Reason);
    }

    [Fact]
    public void No_headroom_is_held_for_a_guarantee_already_met_by_allocations()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("q", Quantities("cpus:2;mem:1024"), ResourceQuantities.Empty);
        var quota = h.AddFramework("q");
        var other = h.AddFramework("nq");
        h.AddAgent("cpus:2;mem:1024", (quota, "q", "cpus:2;mem:1024"));
        h.AddAgent("cpus:2;mem:1024");

        var offer = Assert.Single(h.Allocate());

        Assert.Equal(other, offer.FrameworkId);
        Assert.Equal(Bag("cpus:2;mem:1024"), Sum([offer]));
    }

    [Fact]
    public void Unallocated_reservations_of_the_quota_role_count_toward_its_guarantee()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("q", Quantities("cpus:2;mem:1024"), ResourceQuantities.Empty);
        var other = h.AddFramework("nq");
        h.AddAgent("cpus(q):2;mem(q):1024");
        h.AddAgent("cpus:2;mem:1024");

        var offer = Assert.Single(h.Allocate());

        Assert.Equal(other, offer.FrameworkId);
        Assert.Equal(Bag("cpus:2;mem:1024"), Sum([offer]));
    }

    [Fact]
    public void A_guarantee_gives_only_what_the_role_is_short_of_and_the_rest_is_shared_by_drf()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("q", Quantities("cpus:1;mem:512"), ResourceQuantities.Empty);
        var quota = h.AddFramework("q");
        var other = h.AddFramework("nq");
        h.AddAgent("cpus:4;mem:2048");

        var offers = h.Allocate();

        Assert.Equal(Bag("cpus:1;mem:512"), Sum(offers.Where(o => o.FrameworkId == quota)));
        Assert.Equal(Bag("cpus:3;mem:1536"), Sum(offers.Where(o => o.FrameworkId == other)));
    }

    [Fact]
    public void Guarantees_of_several_roles_are_all_served_before_non_quota_roles()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("q1", Quantities("cpus:1;mem:512"), ResourceQuantities.Empty);
        h.Allocator.SetQuota("q2", Quantities("cpus:2;mem:1024"), ResourceQuantities.Empty);
        var q1 = h.AddFramework("q1");
        var q2 = h.AddFramework("q2");
        h.AddFramework("nq");
        h.AddAgent("cpus:1;mem:512");
        h.AddAgent("cpus:2;mem:1024");

        var offers = h.Allocate();

        Assert.Equal(Bag("cpus:1;mem:512"), Sum(offers.Where(o => o.FrameworkId == q1)));
        Assert.Equal(Bag("cpus:2;mem:1024"), Sum(offers.Where(o => o.FrameworkId == q2)));
    }

    [Fact]
    public void A_guarantee_on_a_parent_role_is_met_by_allocating_to_its_subroles()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("a", Quantities("cpus:2;mem:1024"), ResourceQuantities.Empty);
        var child = h.AddFramework("a/b");
        h.AddFramework("nq");
        h.AddAgent("cpus:2;mem:1024");

        var offer = Assert.Single(h.Allocate());

        Assert.Equal(child, offer.FrameworkId);
        Assert.Equal(Bag("cpus:2;mem:1024"), Sum([offer]));
    }

    [Fact]
    public void A_quota_limit_is_never_exceeded()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("q", ResourceQuantities.Empty, Quantities("cpus:2;mem:1024"));
        var fw = h.AddFramework("q");
        h.AddAgent("cpus:4;mem:4096");

        var offer = Assert.Single(h.Allocate());
        Assert.Equal(Bag("cpus:2;mem:1024"), Sum([offer]));

        Assert.Empty(h.Allocate());
        Assert.Equal(NoOfferReason.QuotaLimitReached, h.Allocator.Explain(fw).Reason);
        Assert.Equal(NoOfferReason.QuotaLimitReached, h.Allocator.Explain("q").Reason);

        // What is given back may be offered again, still within the limit.
        h.Decline(offer);
        Assert.Equal(Bag("cpus:2;mem:1024"), Sum([Assert.Single(h.Allocate())]));
    }

    [Fact]
    public void A_limit_restricts_only_the_resources_it_names()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("q", ResourceQuantities.Empty, Quantities("cpus:1"));
        h.AddFramework("q");
        h.AddAgent("cpus:4;mem:4096");

        var offer = Assert.Single(h.Allocate());

        Assert.Equal(Bag("cpus:1;mem:4096"), Sum([offer]));
    }

    [Fact]
    public void A_limit_on_a_parent_role_caps_what_all_its_subroles_hold_together()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("a", ResourceQuantities.Empty, Quantities("cpus:2;mem:1024"));
        var ab = h.AddFramework("a/b");
        var ac = h.AddFramework("a/c");
        for (var i = 0; i < 4; i++)
        {
            h.AddAgent("cpus:1;mem:512");
        }

        var offers = h.Allocate();
        Assert.Equal(Bag("cpus:2;mem:1024"), Sum(offers));
        Assert.Equal(1, offers.Count(o => o.FrameworkId == ab));
        Assert.Equal(1, offers.Count(o => o.FrameworkId == ac));

        Assert.Empty(h.Allocate());
        Assert.Equal(NoOfferReason.QuotaLimitReached, h.Allocator.Explain(ab).Reason);
        Assert.Equal(NoOfferReason.QuotaLimitReached, h.Allocator.Explain("a/c").Reason);

        // A role outside the limited subtree gets the rest.
        var x = h.AddFramework("x");
        var rest = h.Allocate();
        Assert.Equal(2, rest.Count);
        Assert.All(rest, o => Assert.Equal(x, o.FrameworkId));
    }

    [Fact]
    public void Unallocated_reservations_count_against_the_quota_limit()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("q", ResourceQuantities.Empty, Quantities("cpus:2"));
        h.AddFramework("q");
        h.AddAgent("cpus(q):1;mem(q):512");
        h.AddAgent("cpus:4;mem:512");

        var offers = h.Allocate();

        Assert.Equal(Bag("cpus(q):1;mem(q):512;cpus:1;mem:512"), Sum(offers));
    }

    [Fact]
    public void A_role_with_guarantee_and_limit_gets_its_guarantee_then_fair_shares_up_to_its_limit()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("q", Quantities("cpus:1;mem:512"), Quantities("cpus:3;mem:1536"));
        h.AddFramework("q");
        h.AddAgent("cpus:4;mem:4096");

        var offers = h.Allocate();

        Assert.Equal(Bag("cpus:3;mem:1536"), Sum(offers));
    }

    [Fact]
    public void What_a_framework_still_holds_in_a_role_it_left_counts_toward_that_role_s_limit()
    {
        // Mesos keeps tracking a framework under a role it left until its allocations there are recovered.
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("c", ResourceQuantities.Empty, Quantities("cpus:2;mem:1024"));
        var leaver = h.AddFramework("c");
        h.AddAgent("cpus:2;mem:1024");
        var held = Assert.Single(h.Allocate());
        Assert.Equal(leaver, held.FrameworkId);

        h.Allocator.UpdateFramework(leaver, ["d"]);
        var stayer = h.AddFramework("c");
        h.AddAgent("cpus:2;mem:1024");

        // Role c still holds its limit (leaver's offer in c is outstanding): stayer gets nothing.
        Assert.DoesNotContain(h.Allocate(), o => o.FrameworkId == stayer);
        Assert.Equal(NoOfferReason.QuotaLimitReached, h.Allocator.Explain(stayer).Reason);

        // Once leaver hands it back, c may use its limit again.
        h.Decline(held);
        Assert.Contains(h.Allocate(), o => o.FrameworkId == stayer);
    }

    [Fact]
    public void Removing_a_quota_releases_the_headroom_it_held()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("q", Quantities("cpus:2;mem:1024"), ResourceQuantities.Empty);
        h.AddFramework("nq");
        h.AddAgent("cpus:2;mem:1024");
        Assert.Empty(h.Allocate());

        h.Allocator.SetQuota("q", ResourceQuantities.Empty, ResourceQuantities.Empty);

        Assert.Equal(Bag("cpus:2;mem:1024"), Sum([Assert.Single(h.Allocate())]));
    }
}
