using static Mesos.Orleans.UnitTests.Allocation.AllocatorHarness;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>Nested roles ("a/b"): DRF is applied level by level, so a parent role competes with its
/// siblings by the share of its whole subtree (Mesos's NestedRoleDRF).</summary>
public sealed class HierarchicalRoleTests
{
    [Fact]
    public void Nested_roles_follow_drf_at_each_level_of_the_tree()
    {
        var h = new AllocatorHarness();
        h.AddAgent("cpus:2;mem:1024");
        var ab = h.AddFramework("a/b");
        Assert.Equal(ab, Assert.Single(h.Allocate()).FrameworkId);

        // a = 0.67 of cpus:3;mem:1536, d = 0.
        var d = h.AddFramework("d");
        h.AddAgent("cpus:1;mem:512");
        Assert.Equal(d, Assert.Single(h.Allocate()).FrameworkId);

        // Total cpus:6;mem:3584: a = 0.33, d = 0.17.
        h.AddAgent("cpus:3;mem:2048");
        Assert.Equal(d, Assert.Single(h.Allocate()).FrameworkId);

        // Total cpus:10;mem:7680: a = 0.2 < d = 0.4; inside a, a/c (0) is behind a/b (0.2).
        var ac = h.AddFramework("a/c");
        h.AddAgent("cpus:4;mem:4096");
        Assert.Equal(ac, Assert.Single(h.Allocate()).FrameworkId);

        // Total cpus:11;mem:8192: a = 0.625 > d = 0.36, so d gets the next agent even though a/b and a/c
        // each hold less than d does.
        h.AddAgent("cpus:1;mem:512");
        Assert.Equal(d, Assert.Single(h.Allocate()).FrameworkId);
    }

    [Fact]
    public void A_parent_role_competes_by_the_share_of_its_whole_subtree_not_of_each_leaf()
    {
        // Total cpus:12. a/b and a/c hold 3 each (leaves 0.25), d holds 4 (0.33): flat DRF would pick a
        // leaf of a, hierarchical DRF sees a at 0.5 and picks d.
        var h = new AllocatorHarness();
        var ab = h.AddFramework("a/b");
        var ac = h.AddFramework("a/c");
        var d = h.AddFramework("d");
        h.AddAgent("cpus:3;mem:3072", (ab, "a/b", "cpus:3;mem:3072"));
        h.AddAgent("cpus:3;mem:3072", (ac, "a/c", "cpus:3;mem:3072"));
        h.AddAgent("cpus:3;mem:3072", (d, "d", "cpus:3;mem:3072"));
        h.AddAgent("cpus:1;mem:1024", (d, "d", "cpus:1;mem:1024"));
        h.AddAgent("cpus:1;mem:1024");
        h.AddAgent("cpus:1;mem:1024");

        var first = h.Allocate();

        // The two free agents: d (4/12) is below a (6/12) for the first; then d is at 5/12, still below
        // a: d gets both.
        Assert.Equal(2, first.Count);
        Assert.All(first, o => Assert.Equal(d, o.FrameworkId));
    }

    [Fact]
    public void A_role_s_own_frameworks_compete_with_its_subroles()
    {
        var h = new AllocatorHarness();
        var parent = h.AddFramework("a");
        var child = h.AddFramework("a/b");
        h.AddAgent("cpus:2;mem:2048", (parent, "a", "cpus:2;mem:2048"));
        h.AddAgent("cpus:1;mem:1024");

        // Inside a: a's own frameworks hold 2 cpus, a/b holds nothing.
        Assert.Equal(child, Assert.Single(h.Allocate()).FrameworkId);
    }

    [Fact]
    public void Weights_of_nested_roles_apply_among_siblings()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetWeight("a/heavy", 3);
        var heavy = h.AddFramework("a/heavy");
        var light = h.AddFramework("a/light");
        for (var i = 0; i < 8; i++)
        {
            h.AddAgent("cpus:1;mem:512");
        }

        var offers = h.Allocate();

        Assert.Equal(6, offers.Count(o => o.FrameworkId == heavy));
        Assert.Equal(2, offers.Count(o => o.FrameworkId == light));
    }

    [Fact]
    public void Offers_to_a_nested_role_carry_that_role_as_allocation_role()
    {
        var h = new AllocatorHarness();
        h.AddAgent("cpus:1;mem:512");
        h.AddFramework("a/b/c");

        var offer = Assert.Single(h.Allocate());

        Assert.Equal("a/b/c", offer.Role);
        Assert.Equal(Bag("cpus:1;mem:512").WithAllocationRole("a/b/c"), offer.Resources);
    }
}
