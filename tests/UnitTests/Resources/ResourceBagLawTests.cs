using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Resources;

/// <summary>The algebraic laws of the bag, checked on random bags from a fixed list of seeds.</summary>
public sealed class ResourceBagLawTests
{
    [Fact]
    public void Adding_then_subtracting_gives_back_the_original()
    {
        Seeds.ForEach(random =>
        {
            // Holds for bags whose ports and set items are disjoint: for those, addition is a union.
            var a = RandomBags.Next(random);
            var b = RandomBags.Next(random, disjointFrom: a);

            Assert.True((a + b).Contains(a));
            Assert.True((a + b).Contains(b));
            Assert.Equal(a, a + b - b);
            Assert.Equal(b, a + b - a);
        });
    }

    [Fact]
    public void Subtracting_a_contained_bag_and_adding_it_back_is_identity()
    {
        Seeds.ForEach(random =>
        {
            var a = RandomBags.Next(random);
            var b = RandomBags.SubsetOf(random, a);

            Assert.True(a.Contains(b));
            var c = a - b;
            Assert.Equal(a, c + b);
            Assert.True(a.Contains(c));
            Assert.Equal(c, a.SubtractClamped(b));
            Assert.Equal(ResourceBag.Empty, a - a);
        });
    }

    [Fact]
    public void Contains_is_reflexive_and_transitive_and_agrees_with_subtract()
    {
        Seeds.ForEach(random =>
        {
            var a = RandomBags.Next(random);
            var b = RandomBags.SubsetOf(random, a);
            var c = RandomBags.SubsetOf(random, b);
            var other = RandomBags.Next(random);

            Assert.True(a.Contains(a));
            Assert.True(a.Contains(ResourceBag.Empty));
            Assert.True(b.Contains(c));
            Assert.True(a.Contains(c));
            if (a.Contains(other))
            {
                Assert.Equal(a, a - other + other);
            }
            else
            {
                Assert.Throws<InvalidOperationException>(() => a - other);
                Assert.True(a.Contains(a.SubtractClamped(other)));
            }

            if (a.Contains(other) && other.Contains(a))
            {
                Assert.Equal(a, other);
            }
        });
    }

    [Fact]
    public void Addition_is_commutative_and_associative_with_empty_as_identity()
    {
        Seeds.ForEach(random =>
        {
            var a = RandomBags.Next(random);
            var b = RandomBags.Next(random);
            var c = RandomBags.Next(random);

            Assert.Equal(a + b, b + a);
            Assert.Equal((a + b).GetHashCode(), (b + a).GetHashCode());
            Assert.Equal((a + b) + c, a + (b + c));
            Assert.Equal(a, a + ResourceBag.Empty);
            Assert.Equal(a, ResourceBag.Empty + a);
            var shuffled = RandomBags.Shuffled(random, a);
            Assert.Equal(a, shuffled);
            Assert.Equal(a.GetHashCode(), shuffled.GetHashCode());
        });
    }

    [Fact]
    public void Views_partition_and_preserve_totals()
    {
        Seeds.ForEach(random =>
        {
            var a = RandomBags.Next(random);

            Assert.Equal(a, a.Unreserved() + a.Reserved());
            Assert.Equal(a, a.Revocable() + a.NonRevocable());
            Assert.Equal(a.Quantities, a.Flatten().Quantities);
            Assert.Equal(a.Quantities, a.WithAllocationRole("x").Quantities);
            Assert.True(a.AllocatableTo("eng/backend").Contains(a.Unreserved()));
            Assert.All(a.Entries, static e => Assert.False(e.Value.IsEmpty));
            Assert.Equal(a.Entries.Length, a.Entries.Select(static e => e.Key).Distinct().Count());
            foreach (var name in a.Names)
            {
                var expected = a.Entries
                    .Where(e => e.Key.Name == name)
                    .Aggregate(FixedPoint.Zero, static (sum, e) => sum + e.Value.Quantity);
                Assert.Equal(expected, a.Quantities[name]);
            }
        });
    }

    [Fact]
    public void Wire_and_text_forms_round_trip()
    {
        Seeds.ForEach(random =>
        {
            var a = RandomBags.Next(random);
            var simple = RandomBags.Next(random, simpleOnly: true);

            foreach (var format in new[] { ResourceFormat.PostRefinement, ResourceFormat.Endpoint })
            {
                var json = MesosJson.Serialize(a.ToWire(format));
                Assert.Equal(a, ResourceBag.FromWire(MesosJson.Deserialize<List<Resource>>(json)));
            }

            if (!a.HasRefinedReservations)
            {
                Assert.Equal(a, ResourceBag.FromWire(a.ToWire(ResourceFormat.PreRefinement)));
            }

            Assert.Equal(simple, ResourceBag.Parse(simple.ToString()));
            Assert.Equal(simple, ResourceBag.Parse(MesosJson.Serialize(simple.ToWire(ResourceFormat.PostRefinement))));
        });
    }
}
