using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Resources;

public sealed class ResourceBagAlgebraTests
{
    [Fact]
    public void Equal_keys_combine_and_different_keys_stay_apart()
    {
        var bag = ResourceBag.Parse("cpus:1;cpus:2;cpus(eng):3");

        Assert.Equal(2, bag.Count);
        Assert.Equal(FixedPoint.FromInt64(3), bag.Unreserved().ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(6), bag.ScalarOf("cpus"));
    }

    [Fact]
    public void Equality_ignores_entry_order()
    {
        var a = ResourceBag.Parse("cpus:1;mem:2;ports:[1-2]");
        var b = ResourceBag.Parse("ports:[1-2];mem:2;cpus:1");

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, ResourceBag.Parse("cpus:1;mem:2;ports:[1-3]"));
    }

    [Fact]
    public void Subtract_throws_when_not_contained_and_names_what_is_missing()
    {
        var bag = ResourceBag.Parse("cpus:2;mem:100");

        var e = Assert.Throws<InvalidOperationException>(() => bag - ResourceBag.Parse("cpus:3"));
        Assert.Contains("missing cpus:1", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => bag - ResourceBag.Parse("cpus(eng):1"));
        Assert.False(bag.Contains(ResourceBag.Parse("cpus(eng):1")));
        Assert.Equal(ResourceBag.Parse("mem:100"), bag - ResourceBag.Parse("cpus:2"));
    }

    [Fact]
    public void Ranges_and_sets_add_as_unions_not_counts()
    {
        // A port is either there or not: adding it twice does not make two of it, so subtracting it
        // once removes it. Only scalars count.
        var a = ResourceBag.Parse("ports:[1-10];zones:{a,b};cpus:1");
        var b = ResourceBag.Parse("ports:[5-15];zones:{b,c};cpus:1");

        Assert.Equal(ResourceBag.Parse("ports:[1-15];zones:{a,b,c};cpus:2"), a + b);
        Assert.Equal(ResourceBag.Parse("ports:[1-4];zones:{a};cpus:1"), a + b - b);
    }

    [Fact]
    public void Subtract_clamped_keeps_what_is_left()
    {
        var bag = ResourceBag.Parse("cpus:2;mem:100;ports:[1-10]");

        var left = bag.SubtractClamped(ResourceBag.Parse("cpus:3;mem:40;ports:[5-20];gpus:1"));

        Assert.Equal(ResourceBag.Parse("mem:60;ports:[1-4]"), left);
    }

    [Fact]
    public void Ranges_subtract_by_splitting()
    {
        var bag = ResourceBag.Parse("ports:[31000-32000]");

        var left = bag - ResourceBag.Parse("ports:[31500-31500]");

        Assert.Equal("ports:[31000-31499, 31501-32000]", left.ToString());
        Assert.False(left.Contains(ResourceBag.Parse("ports:[31500-31500]")));
    }

    [Fact]
    public void Offered_resources_are_not_interchangeable_with_unallocated_ones()
    {
        var total = ResourceBag.Parse("cpus:4");
        var offered = total.WithAllocationRole("eng");

        Assert.False(total.Contains(offered));
        Assert.Equal("eng", offered.Entries.Single().Key.AllocationRole);
        Assert.Equal(total, offered.WithAllocationRole(null));
        Assert.Same(total, total.WithAllocationRole(null));
    }

    [Fact]
    public void Allocatable_to_follows_the_role_hierarchy()
    {
        var bag = ResourceBag.Parse("cpus:1;cpus(eng):2;cpus(eng/backend):4;cpus(engineering):8;cpus(ops):16");

        Assert.Equal(FixedPoint.FromInt64(1 + 2 + 4), bag.AllocatableTo("eng/backend").ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(1 + 2 + 4), bag.AllocatableTo("eng/backend/db").ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(1 + 2), bag.AllocatableTo("eng").ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(1), bag.AllocatableTo("*").ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(2 + 4), bag.ReservedToRoleOrAncestors("eng/backend").ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(2), bag.Reserved("eng").ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(2 + 4 + 8 + 16), bag.Reserved().ScalarOf("cpus"));
        Assert.Equal(FixedPoint.FromInt64(1), bag.Unreserved().ScalarOf("cpus"));
    }

    [Fact]
    public void Flatten_drops_reservations_and_allocation_and_merges()
    {
        var bag = ResourceBag.Parse("cpus:1;cpus(eng):2;ports(eng):[1-2];ports:[3-4]").WithAllocationRole("eng");

        var flat = bag.Flatten();

        Assert.Equal(ResourceBag.Parse("cpus:3;ports:[1-4]"), flat);
        Assert.Same(flat, flat.Flatten());
    }

    [Fact]
    public void Quantities_total_by_name()
    {
        var bag = ResourceBag.Parse("cpus:1.5;cpus(eng):2;mem:1024;ports:[31000-31009,32000-32001];zones:{a,b,c}");

        Assert.Equal(
            new Dictionary<string, FixedPoint>
            {
                ["cpus"] = FixedPoint.FromMilli(3500),
                ["mem"] = FixedPoint.FromInt64(1024),
                ["ports"] = FixedPoint.FromInt64(12),
                ["zones"] = FixedPoint.FromInt64(3),
            },
            bag.Quantities);
        Assert.Equal(["cpus", "mem", "ports", "zones"], bag.Quantities.Keys);
    }

    [Fact]
    public void Push_and_pop_reservation_model_reserve_and_unreserve()
    {
        var unreserved = ResourceBag.Parse("cpus:2;mem:64");
        var reservation = ResourceReservation.Dynamic("eng", "alice");

        var reserved = unreserved.PushReservation(reservation);

        Assert.Equal(unreserved.Quantities, reserved.Reserved("eng").Quantities);
        Assert.True(reserved.Entries.All(static e => e.Key.IsDynamicallyReserved));
        Assert.Equal(unreserved, reserved.PopReservation());
        Assert.Throws<InvalidOperationException>(() => unreserved.PopReservation());
    }

    [Fact]
    public void Reservations_differing_in_principal_or_labels_do_not_combine()
    {
        var a = new ResourceKey("cpus", ResourceValueType.SCALAR, [ResourceReservation.Dynamic("eng", "alice")]);
        var b = new ResourceKey("cpus", ResourceValueType.SCALAR, [ResourceReservation.Dynamic("eng", "bob")]);
        var c = new ResourceKey("cpus", ResourceValueType.SCALAR, [ResourceReservation.Dynamic("eng", "alice", [new ResourceLabel("x", null)])]);
        var labelsInOtherOrder = new ResourceKey(
            "cpus",
            ResourceValueType.SCALAR,
            [ResourceReservation.Dynamic("eng", "alice", [new ResourceLabel("b", "2"), new ResourceLabel("a", "1")])]);
        var labelsSorted = new ResourceKey(
            "cpus",
            ResourceValueType.SCALAR,
            [ResourceReservation.Dynamic("eng", "alice", [new ResourceLabel("a", "1"), new ResourceLabel("b", "2")])]);

        var bag = ResourceBag.Of(
            new ResourceEntry(a, ResourceValue.FromScalar(1)),
            new ResourceEntry(b, ResourceValue.FromScalar(1)),
            new ResourceEntry(c, ResourceValue.FromScalar(1)));

        Assert.Equal(3, bag.Count);
        Assert.Equal(labelsSorted, labelsInOtherOrder);
        Assert.Equal(labelsSorted.GetHashCode(), labelsInOtherOrder.GetHashCode());
    }

    [Fact]
    public void Role_names_validate_like_mesos()
    {
        Assert.True(RoleName.IsValid("*"));
        Assert.True(RoleName.IsValid("eng/backend.v2"));
        Assert.False(RoleName.IsValid("eng//x"));
        Assert.False(RoleName.IsValid("eng/."));
        Assert.False(RoleName.IsValid("tab\tbed"));
        Assert.False(RoleName.IsValid("del\u007f"));
        Assert.True(RoleName.IsSelfOrAncestor("eng", "eng/backend"));
        Assert.False(RoleName.IsSelfOrAncestor("eng", "engineering"));
        Assert.False(RoleName.IsSelfOrAncestor("eng/backend", "eng"));
        Assert.False(RoleName.IsSelfOrAncestor("*", "eng"));
        Assert.False(RoleName.IsStrictAncestor("eng", "eng"));
    }

    [Fact]
    public void Large_bags_use_the_index_and_stay_correct()
    {
        var big = ResourceBag.Parse(string.Join(";", Enumerable.Range(0, 100).Select(static i => $"cpus(r{i}):1")));

        var doubled = big + big;

        Assert.Equal(100, doubled.Count);
        Assert.Equal(FixedPoint.FromInt64(200), doubled.ScalarOf("cpus"));
        Assert.True(doubled.Contains(big));
        Assert.Equal(big, doubled - big);
    }
}
