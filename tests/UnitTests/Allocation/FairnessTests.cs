using Mesos.Orleans.Interfaces.V1;
using static Mesos.Orleans.UnitTests.Allocation.AllocatorHarness;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>Dominant resource fairness between roles and between the frameworks of a role: Mesos's
/// UnreservedDRF, ReservedDRF, CoarseGrained, SameShareFairness and the weighted variants.</summary>
public sealed class FairnessTests
{
    [Fact]
    public void Each_new_agent_goes_whole_to_the_role_with_the_smallest_dominant_share()
    {
        var h = new AllocatorHarness();
        h.AddAgent("cpus:2;mem:1024");
        var fw1 = h.AddFramework("role1");

        var offer = Assert.Single(h.Allocate());
        Assert.Equal(fw1, offer.FrameworkId);
        Assert.Equal(Bag("cpus:2;mem:1024"), Sum([offer]));

        // role1 share = 0.67 (of cpus:3;mem:1536), role2 share = 0: role2's only framework gets agent2.
        var fw2 = h.AddFramework("role2");
        h.AddAgent("cpus:1;mem:512");
        offer = Assert.Single(h.Allocate());
        Assert.Equal(fw2, offer.FrameworkId);
        Assert.Equal(Bag("cpus:1;mem:512"), Sum([offer]));

        // Total cpus:6;mem:3584: role1 = 0.33, role2 = 0.17, so role2 again.
        h.AddAgent("cpus:3;mem:2048");
        offer = Assert.Single(h.Allocate());
        Assert.Equal(fw2, offer.FrameworkId);
        Assert.Equal(Bag("cpus:3;mem:2048"), Sum([offer]));

        // Total cpus:10;mem:7680: role1 = 0.2 < role2 = 0.4; within role1, fw3 (share 0) beats fw1 (share 1).
        var fw3 = h.AddFramework("role1");
        h.AddAgent("cpus:4;mem:4096");
        offer = Assert.Single(h.Allocate());
        Assert.Equal(fw3, offer.FrameworkId);
        Assert.Equal(Bag("cpus:4;mem:4096"), Sum([offer]));

        // Total cpus:11;mem:8192: role1 = 0.625 > role2 = 0.36. fw4 has nothing, but its role is ahead.
        h.AddFramework("role1");
        h.AddAgent("cpus:1;mem:512");
        offer = Assert.Single(h.Allocate());
        Assert.Equal(fw2, offer.FrameworkId);
        Assert.Equal(Bag("cpus:1;mem:512"), Sum([offer]));
    }

    [Fact]
    public void Reserved_resources_count_toward_the_share_of_the_role_they_are_allocated_to()
    {
        var h = new AllocatorHarness();
        h.AddAgent("cpus:1;mem:512;cpus(role1):100;mem(role1):1024");
        var fw1 = h.AddFramework("role1");

        var offer = Assert.Single(h.Allocate());
        Assert.Equal(fw1, offer.FrameworkId);
        Assert.Equal(Bag("cpus:1;mem:512;cpus(role1):100;mem(role1):1024"), Sum([offer]));

        var fw2 = h.AddFramework("role2");
        h.AddAgent("cpus:2;mem:512");
        offer = Assert.Single(h.Allocate());
        Assert.Equal(fw2, offer.FrameworkId);

        // role1 holds 101 of 105 cpus thanks to its reservation: role2 still has the smaller share.
        h.AddAgent("cpus:2;mem:512");
        offer = Assert.Single(h.Allocate());
        Assert.Equal(fw2, offer.FrameworkId);

        // Reserved resources are shared fairly between the frameworks of the role.
        var fw3 = h.AddFramework("role1");
        h.AddAgent("cpus(role1):2;mem(role1):1024");
        offer = Assert.Single(h.Allocate());
        Assert.Equal(fw3, offer.FrameworkId);
        Assert.Equal(Bag("cpus(role1):2;mem(role1):1024"), Sum([offer]));
    }

    [Fact]
    public void Two_frameworks_with_equal_shares_each_get_one_whole_agent_in_the_same_run()
    {
        var h = new AllocatorHarness();
        var agent1 = h.AddAgent("cpus:2;mem:1024");
        var agent2 = h.AddAgent("cpus:2;mem:1024");
        var fw1 = h.AddFramework("role1");
        var fw2 = h.AddFramework("role2");

        var offers = h.Allocate();

        Assert.Equal(2, offers.Count);
        Assert.Equal(1, offers.Count(o => o.FrameworkId == fw1));
        Assert.Equal(1, offers.Count(o => o.FrameworkId == fw2));
        Assert.Equal([agent1, agent2], offers.Select(o => o.AgentId).Order(Comparer<AgentId>.Create((a, b) => string.CompareOrdinal(a.Value, b.Value))));
        Assert.All(offers, o => Assert.Equal(Bag("cpus:2;mem:1024"), Sum([o])));
    }

    [Fact]
    public void An_agent_is_offered_to_one_framework_at_a_time_not_split_between_frameworks()
    {
        var h = new AllocatorHarness();
        h.AddAgent("cpus:8;mem:8192");
        h.AddFramework("role1");
        h.AddFramework("role2");
        h.AddFramework("role2");

        var offer = Assert.Single(h.Allocate());

        Assert.Equal(Bag("cpus:8;mem:8192"), Sum([offer]));
    }

    [Fact]
    public void Frameworks_with_the_same_share_take_turns_rather_than_the_first_by_name_always_winning()
    {
        var h = new AllocatorHarness();
        var fw1 = h.AddFramework("*");
        var fw2 = h.AddFramework("*");
        h.AddAgent("cpus:2;mem:1024");

        var counts = new Dictionary<FrameworkId, int> { [fw1] = 0, [fw2] = 0 };
        for (var i = 0; i < 10; i++)
        {
            var offer = Assert.Single(h.Allocate());
            Assert.Equal(Bag("cpus:2;mem:1024"), Sum([offer]));
            counts[offer.FrameworkId]++;
            h.Decline(offer);
        }

        Assert.Equal(5, counts[fw1]);
        Assert.Equal(5, counts[fw2]);
    }

    [Fact]
    public void Roles_with_the_same_share_take_turns_too()
    {
        var h = new AllocatorHarness();
        var fw1 = h.AddFramework("role1");
        var fw2 = h.AddFramework("role2");
        h.AddAgent("cpus:2;mem:1024");

        var counts = new Dictionary<FrameworkId, int> { [fw1] = 0, [fw2] = 0 };
        for (var i = 0; i < 10; i++)
        {
            var offer = Assert.Single(h.Allocate());
            counts[offer.FrameworkId]++;
            h.Decline(offer);
        }

        Assert.Equal(5, counts[fw1]);
        Assert.Equal(5, counts[fw2]);
    }

    [Fact]
    public void A_role_with_weight_2_is_allocated_twice_what_a_role_with_weight_1_is()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetWeight("heavy", 2);
        var heavy = h.AddFramework("heavy");
        var light = h.AddFramework("light");
        for (var i = 0; i < 6; i++)
        {
            h.AddAgent("cpus:1;mem:512");
        }

        var offers = h.Allocate();

        Assert.Equal(6, offers.Count);
        Assert.Equal(4, offers.Count(o => o.FrameworkId == heavy));
        Assert.Equal(2, offers.Count(o => o.FrameworkId == light));
    }

    [Fact]
    public void Weights_divide_the_share_so_a_heavier_role_gets_the_next_agent_despite_holding_more()
    {
        var h = new AllocatorHarness();
        var heavy = h.AddFramework("heavy");
        var light = h.AddFramework("light");
        h.AddAgent("cpus:3;mem:3072", (heavy, "heavy", "cpus:3;mem:3072"));
        h.AddAgent("cpus:2;mem:2048", (light, "light", "cpus:2;mem:2048"));
        h.AddAgent("cpus:1;mem:1024");

        // Unweighted: light (2/6) is below heavy (3/6).
        Assert.Equal(light, Assert.Single(h.Allocate()).FrameworkId);

        var h2 = new AllocatorHarness();
        h2.Allocator.SetWeight("heavy", 2);
        var heavy2 = h2.AddFramework("heavy");
        var light2 = h2.AddFramework("light");
        h2.AddAgent("cpus:3;mem:3072", (heavy2, "heavy", "cpus:3;mem:3072"));
        h2.AddAgent("cpus:2;mem:2048", (light2, "light", "cpus:2;mem:2048"));
        h2.AddAgent("cpus:1;mem:1024");

        // Weighted: heavy (3/6 / 2 = 0.25) is below light (0.33).
        Assert.Equal(heavy2, Assert.Single(h2.Allocate()).FrameworkId);
    }

    [Fact]
    public void Frameworks_within_a_role_are_not_weighted_by_the_role_weight()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetWeight("role", 3);
        var fw1 = h.AddFramework("role");
        var fw2 = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512", (fw1, "role", "cpus:1;mem:512"));
        h.AddAgent("cpus:1;mem:512");

        Assert.Equal(fw2, Assert.Single(h.Allocate()).FrameworkId);
    }

    [Fact]
    public void The_dominant_resource_decides_not_the_sum_of_resources()
    {
        // Total cpus:10;mem:10240. cpuHeavy holds cpus:4;mem:512 (dominant 0.4); memHeavy holds
        // cpus:1;mem:3072 (dominant 0.3): memHeavy is behind despite holding more memory in absolute terms.
        var h = new AllocatorHarness();
        var cpuHeavy = h.AddFramework("a");
        var memHeavy = h.AddFramework("b");
        h.AddAgent("cpus:4;mem:512", (cpuHeavy, "a", "cpus:4;mem:512"));
        h.AddAgent("cpus:1;mem:3072", (memHeavy, "b", "cpus:1;mem:3072"));
        h.AddAgent("cpus:5;mem:6656");

        Assert.Equal(memHeavy, Assert.Single(h.Allocate()).FrameworkId);
    }

    [Fact]
    public void Within_one_run_shares_are_updated_after_every_allocation()
    {
        var h = new AllocatorHarness();
        var fw1 = h.AddFramework("role1");
        var fw2 = h.AddFramework("role2");
        for (var i = 0; i < 4; i++)
        {
            h.AddAgent("cpus:1;mem:512");
        }

        var offers = h.Allocate();

        Assert.Equal(2, offers.Count(o => o.FrameworkId == fw1));
        Assert.Equal(2, offers.Count(o => o.FrameworkId == fw2));
    }

    [Fact]
    public void Resources_a_framework_already_uses_count_toward_its_share_even_if_it_subscribes_after_its_agent()
    {
        // Master failover: the agent re-registers with fw1's task before fw1 re-subscribes.
        var h = new AllocatorHarness();
        var fw1 = new FrameworkId("fw-old");
        h.AddAgent("cpus:4;mem:4096", (fw1, "role1", "cpus:4;mem:4096"));
        h.Allocator.AddFramework(fw1, ["role1"]);
        var fw2 = h.AddFramework("role2");
        h.AddAgent("cpus:1;mem:1024");

        // fw1 holds a whole agent; fw2 has nothing: fw2 must win the new agent.
        Assert.Equal(fw2, Assert.Single(h.Allocate()).FrameworkId);
    }
}
