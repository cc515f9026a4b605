using static Mesos.Orleans.UnitTests.Allocation.AllocatorHarness;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>Reserved resources are offered only to their role and its subroles (Mesos's Reservations and
/// hierarchical reservation tests).</summary>
public sealed class ReservationTests
{
    [Fact]
    public void Reserved_resources_are_offered_only_to_their_role_together_with_unreserved_ones()
    {
        var h = new AllocatorHarness();
        var agent1 = h.AddAgent("cpus(role1):2;mem(role1):1024");
        var agent2 = h.AddAgent("cpus(role2):2;mem(role2):1024;cpus:1;mem:1024");
        h.AddAgent("cpus(role3):1;mem(role3):1024");

        // fw1 gets all of agent1 and the unreserved part of agent2; agent3's resources are for role3 only.
        var fw1 = h.AddFramework("role1");
        var offers = h.Allocate();
        Assert.Equal(2, offers.Count);
        Assert.All(offers, o => Assert.Equal(fw1, o.FrameworkId));
        Assert.Equal(Bag("cpus(role1):2;mem(role1):1024"), Sum(offers.Where(o => o.AgentId == agent1)));
        Assert.Equal(Bag("cpus:1;mem:1024"), Sum(offers.Where(o => o.AgentId == agent2)));

        // fw2 gets its reservation on agent2.
        var fw2 = h.AddFramework("role2");
        var offer = Assert.Single(h.Allocate());
        Assert.Equal(fw2, offer.FrameworkId);
        Assert.Equal(agent2, offer.AgentId);
        Assert.Equal(Bag("cpus(role2):2;mem(role2):1024"), Sum([offer]));

        // Nothing is left that role1 or role2 may use.
        Assert.Empty(h.Allocate());
    }

    [Fact]
    public void Reserved_resources_are_offered_only_to_their_role_and_its_subroles()
    {
        var h = new AllocatorHarness();
        h.AddAgent("cpus(eng):2;mem(eng):1024");
        var other = h.AddFramework("sales");
        var sibling = h.AddFramework("engineering");
        var sub = h.AddFramework("eng/backend");

        var offer = Assert.Single(h.Allocate());
        Assert.Equal(sub, offer.FrameworkId);
        Assert.Equal("eng/backend", offer.Role);
        Assert.Equal(Bag("cpus(eng):2;mem(eng):1024"), Sum([offer]));

        h.Decline(offer, TimeSpan.FromHours(1));
        Assert.Empty(h.Allocate());
        Assert.Equal(0, h.Allocator.Explain(other).Offers);
        Assert.Equal(0, h.Allocator.Explain(sibling).Offers);
    }

    [Fact]
    public void Resources_reserved_to_a_subrole_are_not_offered_to_its_parent_or_siblings()
    {
        var h = new AllocatorHarness();
        h.AddAgent("cpus(eng/backend):2;mem(eng/backend):1024");
        h.AddFramework("eng");
        h.AddFramework("eng/frontend");
        h.AddFramework("*");

        Assert.Empty(h.Allocate());

        var owner = h.AddFramework("eng/backend");
        var offer = Assert.Single(h.Allocate());
        Assert.Equal(owner, offer.FrameworkId);
    }

    [Fact]
    public void Resources_reserved_to_a_role_are_offered_to_a_deeply_nested_subrole()
    {
        var h = new AllocatorHarness();
        h.AddAgent("cpus(a):1;mem(a):512");
        var deep = h.AddFramework("a/b/c/d");

        var offer = Assert.Single(h.Allocate());

        Assert.Equal(deep, offer.FrameworkId);
        Assert.Equal(Bag("cpus(a):1;mem(a):512").WithAllocationRole("a/b/c/d"), offer.Resources);
    }

    [Fact]
    public void A_role_with_a_reservation_is_offered_both_its_reservation_and_unreserved_resources_on_an_agent()
    {
        var h = new AllocatorHarness();
        var agent = h.AddAgent("cpus(role1):1;mem(role1):200;cpus:1;mem:200");
        var fw = h.AddFramework("role1");

        var offer = Assert.Single(h.Allocate());
        Assert.Equal(agent, offer.AgentId);
        Assert.Equal(Bag("cpus(role1):1;mem(role1):200;cpus:1;mem:200"), Sum([offer]));

        // RecoverResources (Mesos): recovered reserved resources are offered again, then unreserved ones.
        h.Allocator.RecoverResources(fw, agent, offer.Resources.Filter(e => e.Key.IsReserved));
        var reserved = Assert.Single(h.Allocate());
        Assert.Equal(Bag("cpus(role1):1;mem(role1):200"), Sum([reserved]));

        h.Allocator.RecoverResources(fw, agent, offer.Resources.Filter(e => e.Key.IsUnreserved));
        var unreserved = Assert.Single(h.Allocate());
        Assert.Equal(Bag("cpus:1;mem:200"), Sum([unreserved]));
    }

    [Fact]
    public void Unreserved_resources_on_an_agent_with_reservations_still_go_to_other_roles()
    {
        var h = new AllocatorHarness();
        h.AddAgent("cpus(role1):2;mem(role1):1024;cpus:1;mem:512");
        var fw2 = h.AddFramework("role2");

        var offer = Assert.Single(h.Allocate());

        Assert.Equal(fw2, offer.FrameworkId);
        Assert.Equal(Bag("cpus:1;mem:512"), Sum([offer]));
    }
}
