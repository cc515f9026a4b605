using Mesos.Orleans.Grains.Allocation;
using static Mesos.Orleans.UnitTests.Allocation.AllocatorHarness;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>Agents coming and going: inactive, draining and removed agents are offered to nobody, and what
/// frameworks held on a removed agent no longer counts toward their shares.</summary>
public sealed class AgentLifecycleTests
{
    [Fact]
    public void An_inactive_agent_is_offered_to_nobody_until_reactivated()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        var agent = h.AddAgent("cpus:1;mem:512");
        h.Allocator.SetAgentActive(agent, false);

        Assert.Empty(h.Allocate());
        Assert.Equal(NoOfferReason.NoAgents, h.Allocator.Explain(fw).Reason);

        h.Allocator.SetAgentActive(agent, true);
        Assert.Equal(agent, Assert.Single(h.Allocate()).AgentId);
    }

    [Fact]
    public void A_draining_agent_is_offered_to_nobody_while_other_agents_still_are()
    {
        var h = new AllocatorHarness();
        h.AddFramework("role");
        var draining = h.AddAgent("cpus:1;mem:512");
        var healthy = h.AddAgent("cpus:1;mem:512");
        h.Allocator.SetAgentUnavailable(draining, true);

        Assert.Equal(healthy, Assert.Single(h.Allocate()).AgentId);
        Assert.Empty(h.Allocate());
        Assert.Equal(1, h.Allocator.LastReport.EligibleAgents);

        h.Allocator.SetAgentUnavailable(draining, false);
        Assert.Equal(draining, Assert.Single(h.Allocate()).AgentId);
    }

    [Fact]
    public void A_plan_decided_before_an_agent_was_deactivated_is_not_committed()
    {
        var h = new AllocatorHarness();
        h.AddFramework("role");
        var agent = h.AddAgent("cpus:1;mem:512");
        var plan = AllocationDecider.Decide(h.Allocator.TakeSnapshot());

        h.Allocator.SetAgentActive(agent, false);

        Assert.Empty(h.Allocator.Commit(plan));
        Assert.True(h.Allocator.Agent(agent)!.Allocated.IsEmpty);
    }

    [Fact]
    public void A_removed_agent_is_no_longer_offered()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        var agent = h.AddAgent("cpus:1;mem:512");
        h.Decline(Assert.Single(h.Allocate()));

        h.Allocator.RemoveAgent(agent);

        Assert.Empty(h.Allocate());
        Assert.Equal(0, h.Allocator.AgentCount);
        Assert.Equal(NoOfferReason.NoAgents, h.Allocator.Explain(fw).Reason);
    }

    [Fact]
    public void Removing_an_agent_releases_what_frameworks_held_there_from_their_shares()
    {
        var h = new AllocatorHarness();
        var big = h.AddFramework("role1");
        var small = h.AddFramework("role2");
        var agent1 = h.AddAgent("cpus:4;mem:4096", (big, "role1", "cpus:4;mem:4096"));
        h.AddAgent("cpus:1;mem:512", (small, "role2", "cpus:1;mem:512"));

        h.Allocator.RemoveAgent(agent1);
        Assert.True(h.Allocator.Framework(big)!.Allocated.IsEmpty);
        h.AddAgent("cpus:1;mem:512");

        // big now holds nothing, small holds half the cluster.
        Assert.Equal(big, Assert.Single(h.Allocate()).FrameworkId);
    }

    [Fact]
    public void Offers_outstanding_on_a_removed_agent_are_released_and_their_late_recovery_is_harmless()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        var agent = h.AddAgent("cpus:2;mem:1024");
        var offer = Assert.Single(h.Allocate());

        h.Allocator.RemoveAgent(agent);
        h.Decline(offer);

        Assert.True(h.Allocator.Framework(fw)!.Allocated.IsEmpty);
        Assert.Equal(0, h.Allocator.AccountingErrors);
    }

    [Fact]
    public void A_re_added_agent_starts_fresh_with_its_new_total()
    {
        var h = new AllocatorHarness();
        h.AddFramework("role");
        var agent = h.AddAgent("cpus:1;mem:512");
        Assert.Single(h.Allocate());

        h.Allocator.AddAgent(agent, "host", Bag("cpus:2;mem:1024"));

        Assert.Equal(Bag("cpus:2;mem:1024"), Sum([Assert.Single(h.Allocate())]));
        Assert.Equal(1, h.Allocator.AgentCount);
    }

    [Fact]
    public void Resources_already_used_on_an_agent_when_it_is_added_are_not_offered()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        h.AddAgent("cpus:4;mem:4096", (fw, "role", "cpus:3;mem:1024"));

        Assert.Equal(Bag("cpus:1;mem:3072"), Sum([Assert.Single(h.Allocate())]));
    }

    [Fact]
    public void An_agent_whose_total_grows_offers_the_difference()
    {
        var h = new AllocatorHarness();
        h.AddFramework("role");
        var agent = h.AddAgent("cpus:1;mem:512");
        Assert.Single(h.Allocate());

        h.Allocator.UpdateAgentTotal(agent, Bag("cpus:3;mem:1536"));

        Assert.Equal(Bag("cpus:2;mem:1024"), Sum([Assert.Single(h.Allocate())]));
    }
}
