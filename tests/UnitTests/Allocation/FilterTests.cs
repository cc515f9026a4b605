using Mesos.Orleans.Grains.Allocation;
using static Mesos.Orleans.UnitTests.Allocation.AllocatorHarness;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>Offer filters from DECLINE (refuse_seconds): what was declined is not offered again to that
/// framework, for that role, on that agent until the filter expires; anything new is (Mesos's OfferFilter,
/// SmallOfferFilterTimeout and related tests).</summary>
public sealed class FilterTests
{
    [Fact]
    public void Declined_resources_are_refused_until_the_filter_expires()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        var agent = h.AddAgent("cpus:1;mem:512");
        var offer = Assert.Single(h.Allocate());

        h.Decline(offer, TimeSpan.FromSeconds(10));

        Assert.Empty(h.Allocate());
        h.Time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Empty(h.Allocate());
        h.Time.Advance(TimeSpan.FromSeconds(0.1));
        var again = Assert.Single(h.Allocate());
        Assert.Equal(fw, again.FrameworkId);
        Assert.Equal(agent, again.AgentId);
        Assert.Equal(Bag("cpus:1;mem:512"), Sum([again]));
    }

    [Fact]
    public void The_default_five_second_refusal_refuses_for_five_seconds()
    {
        var h = new AllocatorHarness();
        h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        h.Decline(Assert.Single(h.Allocate()), TimeSpan.FromSeconds(5));

        h.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Empty(h.Allocate());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(h.Allocate());
    }

    [Fact]
    public void Returning_resources_without_a_refusal_sets_no_filter()
    {
        var h = new AllocatorHarness();
        h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");

        h.Decline(Assert.Single(h.Allocate()));
        Assert.Single(h.Allocate());
    }

    [Fact]
    public void A_zero_refusal_sets_no_filter()
    {
        var h = new AllocatorHarness();
        h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");

        h.Decline(Assert.Single(h.Allocate()), TimeSpan.Zero);
        Assert.Single(h.Allocate());
    }

    [Fact]
    public void A_refusal_shorter_than_the_minimum_is_lengthened_to_it()
    {
        var h = new AllocatorHarness(new AllocatorOptions { MinRefusal = TimeSpan.FromSeconds(1) });
        h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        h.Decline(Assert.Single(h.Allocate()), TimeSpan.FromMilliseconds(1));

        h.Time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Empty(h.Allocate());
        h.Time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Single(h.Allocate());
    }

    [Fact]
    public void While_one_framework_filters_an_agent_it_goes_to_the_next_framework_despite_a_larger_share()
    {
        var h = new AllocatorHarness();
        var fw1 = h.AddFramework("role");
        var fw2 = h.AddFramework("role");
        var agent1 = h.AddAgent("cpus:1;mem:512", (fw1, "role", "cpus:1;mem:512"));
        h.AddAgent("cpus:1;mem:512");

        // fw2 (share 0) gets agent2 and declines it; fw1 (share 1) gets it while the filter holds.
        var offer = Assert.Single(h.Allocate());
        Assert.Equal(fw2, offer.FrameworkId);
        Assert.NotEqual(agent1, offer.AgentId);
        h.Decline(offer, TimeSpan.FromSeconds(10));

        offer = Assert.Single(h.Allocate());
        Assert.Equal(fw1, offer.FrameworkId);

        // fw1 declines without a filter; fw2's filter has expired: fw2 again.
        h.Time.Advance(TimeSpan.FromSeconds(10));
        h.Decline(offer);
        offer = Assert.Single(h.Allocate());
        Assert.Equal(fw2, offer.FrameworkId);
    }

    [Fact]
    public void A_filter_applies_only_to_the_agent_it_was_set_on()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        var agent1 = h.AddAgent("cpus:1;mem:512");
        var first = Assert.Single(h.Allocate());
        h.Decline(first, TimeSpan.FromHours(1));

        var agent2 = h.AddAgent("cpus:1;mem:512");
        var offer = Assert.Single(h.Allocate());

        Assert.Equal(fw, offer.FrameworkId);
        Assert.Equal(agent2, offer.AgentId);
        Assert.NotEqual(agent1, offer.AgentId);
    }

    [Fact]
    public void A_filter_does_not_refuse_more_resources_than_were_declined()
    {
        // The framework keeps part of the offer for a task and declines the rest; when the task ends,
        // the agent's free resources are no longer contained in what was declined, so they are offered.
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        var agent = h.AddAgent("cpus:2;mem:1024");
        var offer = Assert.Single(h.Allocate());

        var task = h.Launch(offer, "cpus:1;mem:512", TimeSpan.FromHours(1));
        Assert.Empty(h.Allocate());

        h.Allocator.RecoverResources(fw, agent, task);
        var again = Assert.Single(h.Allocate());
        Assert.Equal(Bag("cpus:2;mem:1024"), Sum([again]));
    }

    [Fact]
    public void A_filter_does_not_refuse_new_resources_added_to_the_agent()
    {
        var h = new AllocatorHarness();
        h.AddFramework("role");
        var agent = h.AddAgent("cpus:2;mem:1024");
        h.Decline(Assert.Single(h.Allocate()), TimeSpan.FromHours(1));
        Assert.Empty(h.Allocate());

        h.Allocator.UpdateAgentTotal(agent, Bag("cpus:3;mem:1024"));

        Assert.Equal(Bag("cpus:3;mem:1024"), Sum([Assert.Single(h.Allocate())]));
    }

    [Fact]
    public void A_filter_refuses_a_subset_of_what_was_declined()
    {
        var h = new AllocatorHarness();
        var fw1 = h.AddFramework("role");
        var fw2 = h.AddFramework("role");
        var agent = h.AddAgent("cpus:2;mem:1024");
        var offer = Assert.Single(h.Allocate());
        Assert.Equal(fw1, offer.FrameworkId);

        // fw1 declines the whole agent for an hour; fw2 then takes and keeps half of it.
        h.Decline(offer, TimeSpan.FromHours(1));
        var taken = Assert.Single(h.Allocate());
        Assert.Equal(fw2, taken.FrameworkId);
        h.Launch(taken, "cpus:1;mem:512");

        // The remaining half is inside what fw1 declined: only fw2 may have it.
        var rest = Assert.Single(h.Allocate());
        Assert.Equal(fw2, rest.FrameworkId);
        Assert.Equal(agent, rest.AgentId);
    }

    [Fact]
    public void A_filter_refuses_only_the_role_it_was_declined_in()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("r1", "r2");
        h.AddAgent("cpus:1;mem:512");
        var offer = Assert.Single(h.Allocate());
        Assert.Equal("r1", offer.Role);

        h.Decline(offer, TimeSpan.FromHours(1));
        var again = Assert.Single(h.Allocate());

        Assert.Equal(fw, again.FrameworkId);
        Assert.Equal("r2", again.Role);
    }

    [Fact]
    public void A_filter_of_one_framework_does_not_refuse_other_frameworks()
    {
        var h = new AllocatorHarness();
        var fw1 = h.AddFramework("role1");
        var fw2 = h.AddFramework("role2");
        h.AddAgent("cpus:1;mem:512");
        var offer = Assert.Single(h.Allocate());
        Assert.Equal(fw1, offer.FrameworkId);

        h.Decline(offer, TimeSpan.FromHours(1));

        Assert.Equal(fw2, Assert.Single(h.Allocate()).FrameworkId);
    }

    [Fact]
    public void An_earlier_longer_filter_still_holds_after_a_later_shorter_one_expires()
    {
        // Mesos keeps every filter a framework set on an agent: each refuses what it holds until it expires.
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        var agent = h.AddAgent("cpus:4;mem:2048");
        h.Decline(Assert.Single(h.Allocate()), TimeSpan.FromSeconds(60));
        Assert.Empty(h.Allocate());

        // The agent grows; the new, larger offer is not refused. The framework launches a 1-cpu task
        // and declines the rest — exactly what it declined before — for 1 second only.
        h.Allocator.UpdateAgentTotal(agent, Bag("cpus:5;mem:2048"));
        var offer = Assert.Single(h.Allocate());
        Assert.Equal(fw, offer.FrameworkId);
        h.Launch(offer, "cpus:1", TimeSpan.FromSeconds(1));

        h.Time.Advance(TimeSpan.FromSeconds(2));

        // cpus:4;mem:2048 is still within the 60 s filter.
        Assert.Empty(h.Allocate());
        Assert.Equal(NoOfferReason.Filtered, h.Allocator.Explain(fw).Reason);
    }

    [Fact]
    public void Removing_a_role_from_a_framework_drops_its_filters_in_that_role()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("r1");
        h.AddAgent("cpus:1;mem:512");
        h.Decline(Assert.Single(h.Allocate()), TimeSpan.FromHours(1));

        h.Allocator.UpdateFramework(fw, ["r2"]);
        h.Allocator.UpdateFramework(fw, ["r1"]);

        var offer = Assert.Single(h.Allocate());
        Assert.Equal("r1", offer.Role);
    }

    [Fact]
    public void Filters_survive_an_agent_being_deactivated_and_reactivated()
    {
        var h = new AllocatorHarness();
        h.AddFramework("role");
        var agent = h.AddAgent("cpus:1;mem:512");
        h.Decline(Assert.Single(h.Allocate()), TimeSpan.FromSeconds(30));

        h.Allocator.SetAgentActive(agent, false);
        Assert.Empty(h.Allocate());
        h.Allocator.SetAgentActive(agent, true);
        Assert.Empty(h.Allocate());

        h.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Single(h.Allocate());
    }
}
