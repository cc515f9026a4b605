using Mesos.Orleans.Grains.Allocation;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>Every <see cref="NoOfferReason"/> is produced by the situation it names, and reported both in
/// <see cref="HierarchicalAllocator.LastReport"/> and by <c>Explain</c> for the framework and its role.</summary>
public sealed class ExplanationTests
{
    [Fact]
    public void A_framework_that_got_offers_is_reported_with_no_reason_and_its_offer_count()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        h.AddAgent("cpus:1;mem:512");

        Assert.Equal(2, h.Allocate().Count);

        AssertReason(h, fw, "role", NoOfferReason.None);
        Assert.Equal(2, h.Allocator.Explain(fw).Offers);
        Assert.Equal(2, h.Allocator.Explain("role").Offers);
        Assert.Equal(2, h.Allocator.LastReport.Offers);
        Assert.Equal(2, h.Allocator.LastReport.EligibleAgents);
    }

    [Fact]
    public void Filtered_when_every_agent_it_was_considered_for_was_refused_by_its_filters()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        h.AddAgent("cpus:1;mem:512");
        h.Decline(h.Allocate(), TimeSpan.FromMinutes(1));

        Assert.Empty(h.Allocate());

        AssertReason(h, fw, "role", NoOfferReason.Filtered);
    }

    [Fact]
    public void Suppressed_when_the_framework_suppressed_offers_for_the_role()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        h.Allocator.Suppress(fw, ["role"]);

        Assert.Empty(h.Allocate());

        AssertReason(h, fw, "role", NoOfferReason.Suppressed);
    }

    [Fact]
    public void Inactive_when_the_framework_is_not_connected()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        h.Allocator.SetFrameworkActive(fw, false);

        Assert.Empty(h.Allocate());

        AssertReason(h, fw, "role", NoOfferReason.Inactive);
    }

    [Fact]
    public void Inactive_for_a_role_or_framework_that_took_no_part_in_the_run()
    {
        var h = new AllocatorHarness();
        h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        h.Allocate();

        Assert.Equal(NoOfferReason.Inactive, h.Allocator.Explain("nobody").Reason);
        Assert.Equal(NoOfferReason.Inactive, h.Allocator.Explain(new FrameworkId("ghost")).Reason);
    }

    [Fact]
    public void Inactive_for_a_configured_role_without_frameworks()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetWeight("lonely", 2);
        h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        h.Allocate();

        Assert.Equal(NoOfferReason.Inactive, h.Allocator.Explain("lonely").Reason);
        Assert.Contains("lonely", h.Allocator.LastReport.Roles.Keys);
    }

    [Fact]
    public void NoAgents_when_there_is_no_agent()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");

        Assert.Empty(h.Allocate());

        AssertReason(h, fw, "role", NoOfferReason.NoAgents);
        Assert.Equal(0, h.Allocator.LastReport.EligibleAgents);
    }

    [Fact]
    public void NoAgents_when_every_agent_is_inactive_or_draining()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        h.Allocator.SetAgentActive(h.AddAgent("cpus:1;mem:512"), false);
        h.Allocator.SetAgentUnavailable(h.AddAgent("cpus:1;mem:512"), true);

        Assert.Empty(h.Allocate());

        AssertReason(h, fw, "role", NoOfferReason.NoAgents);
    }

    [Fact]
    public void QuotaLimitReached_when_the_role_holds_its_limit()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("role", ResourceQuantities.Empty, ResourceQuantities.Parse("cpus:1;mem:512"));
        var fw = h.AddFramework("role");
        var agent = h.AddAgent("cpus:4;mem:4096", (fw, "role", "cpus:1;mem:512"));

        Assert.Empty(h.Allocate());

        AssertReason(h, fw, "role", NoOfferReason.QuotaLimitReached);
        Assert.Equal(Bag("cpus:3;mem:3584"), h.Allocator.Agent(agent)!.Available);
    }

    [Fact]
    public void QuotaLimitReached_when_an_ancestor_role_holds_its_limit()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("a", ResourceQuantities.Empty, ResourceQuantities.Parse("cpus:1;mem:512"));
        var sibling = h.AddFramework("a/x");
        var fw = h.AddFramework("a/b");
        h.AddAgent("cpus:4;mem:4096", (sibling, "a/x", "cpus:1;mem:512"));

        Assert.Empty(h.Allocate());

        AssertReason(h, fw, "a/b", NoOfferReason.QuotaLimitReached);
    }

    [Fact]
    public void NoMatchingResources_when_every_agent_is_reserved_to_other_roles()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        h.AddAgent("cpus(other):1;mem(other):512");

        Assert.Empty(h.Allocate());

        AssertReason(h, fw, "role", NoOfferReason.NoMatchingResources);
    }

    [Fact]
    public void LargerShareThanOthers_when_a_framework_with_a_smaller_share_took_the_agent()
    {
        var h = new AllocatorHarness();
        var rich = h.AddFramework("role1");
        var poor = h.AddFramework("role2");
        h.AddAgent("cpus:1;mem:512", (rich, "role1", "cpus:1;mem:512"));
        h.AddAgent("cpus:1;mem:512");

        var offer = Assert.Single(h.Allocate());

        Assert.Equal(poor, offer.FrameworkId);
        AssertReason(h, rich, "role1", NoOfferReason.LargerShareThanOthers);
        AssertReason(h, poor, "role2", NoOfferReason.None);
    }

    [Fact]
    public void LargerShareThanOthers_within_a_role_too()
    {
        var h = new AllocatorHarness();
        var rich = h.AddFramework("role");
        var poor = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512", (rich, "role", "cpus:1;mem:512"));
        h.AddAgent("cpus:1;mem:512");

        Assert.Equal(poor, Assert.Single(h.Allocate()).FrameworkId);

        Assert.Equal(NoOfferReason.LargerShareThanOthers, h.Allocator.Explain(rich).Reason);
        Assert.Equal(NoOfferReason.None, h.Allocator.Explain("role").Reason);
    }

    [Fact]
    public void HeldForQuotaHeadroom_when_what_is_free_is_needed_for_another_role_s_guarantee()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetQuota("quota", ResourceQuantities.Parse("cpus:1;mem:512"), ResourceQuantities.Empty);
        var fw = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");

        Assert.Empty(h.Allocate());

        AssertReason(h, fw, "role", NoOfferReason.HeldForQuotaHeadroom);
    }

    [Fact]
    public void Each_framework_and_role_of_a_run_is_explained_separately()
    {
        var h = new AllocatorHarness();
        var suppressed = h.AddFramework("s");
        var inactive = h.AddFramework("i");
        var winner = h.AddFramework("w");
        h.Allocator.Suppress(suppressed, null);
        h.Allocator.SetFrameworkActive(inactive, false);
        h.AddAgent("cpus:1;mem:512");

        Assert.Equal(winner, Assert.Single(h.Allocate()).FrameworkId);

        AssertReason(h, suppressed, "s", NoOfferReason.Suppressed);
        AssertReason(h, inactive, "i", NoOfferReason.Inactive);
        AssertReason(h, winner, "w", NoOfferReason.None);
        Assert.All(
            h.Allocator.LastReport.Frameworks.Values.Where(o => o.Reason != NoOfferReason.None),
            o => Assert.False(string.IsNullOrWhiteSpace(o.Explanation)));
    }

    [Fact]
    public void A_multi_role_framework_is_filtered_only_when_all_its_roles_are()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("r1", "r2");
        h.AddAgent("cpus:1;mem:512");
        var offer = Assert.Single(h.Allocate());
        h.Decline(offer, TimeSpan.FromMinutes(1));

        // The refusal holds only in the declined role: the agent comes back to the framework in the other one.
        var again = Assert.Single(h.Allocate());
        Assert.NotEqual(offer.Role, again.Role);
        Assert.Equal(NoOfferReason.None, h.Allocator.Explain(fw).Reason);
        Assert.NotEqual(NoOfferReason.None, h.Allocator.Explain(offer.Role).Reason);
    }

    private static ResourceBag Bag(string text) => ResourceBag.Parse(text);

    private static void AssertReason(AllocatorHarness h, FrameworkId framework, string role, NoOfferReason reason)
    {
        Assert.Equal(reason, h.Allocator.Explain(framework).Reason);
        Assert.Equal(reason, h.Allocator.Explain(role).Reason);
        Assert.Equal(reason, h.Allocator.LastReport.Frameworks[framework].Reason);
        Assert.Equal(reason, h.Allocator.LastReport.Roles[role].Reason);
    }
}
