using Mesos.Orleans.Interfaces.Resources;

namespace Mesos.Orleans.UnitTests.Resources;

public sealed class ValueRangeSetTests
{
    [Fact]
    public void Adjacent_ranges_merge()
    {
        var merged = ValueRangeSet.Of(1, 3) + ValueRangeSet.Of(4, 5);

        Assert.Equal(new[] { new InclusiveRange(1, 5) }, merged.Ranges.ToArray());
        Assert.Equal(5UL, merged.Count);
    }

    [Fact]
    public void Overlapping_and_unsorted_input_is_normalized()
    {
        var set = ValueRangeSet.Of(new InclusiveRange(10, 20), new InclusiveRange(1, 2), new InclusiveRange(15, 30), new InclusiveRange(32, 32));

        Assert.Equal("[1-2, 10-30, 32-32]", set.ToString());
        Assert.Equal(2UL + 21UL + 1UL, set.Count);
    }

    [Fact]
    public void Difference_splits_a_range()
    {
        var set = ValueRangeSet.Of(31000, 32000) - ValueRangeSet.Of(31500, 31500);

        Assert.Equal(new[] { new InclusiveRange(31000, 31499), new InclusiveRange(31501, 32000) }, set.Ranges.ToArray());
    }

    [Fact]
    public void Difference_ignores_values_that_are_not_there()
    {
        var set = ValueRangeSet.Of(10, 20) - ValueRangeSet.Of(new InclusiveRange(0, 12), new InclusiveRange(18, 100));

        Assert.Equal("[13-17]", set.ToString());
    }

    [Fact]
    public void Contains_is_subset()
    {
        var set = ValueRangeSet.Of(new InclusiveRange(1, 10), new InclusiveRange(20, 30));

        Assert.True(set.Contains(ValueRangeSet.Of(new InclusiveRange(2, 3), new InclusiveRange(20, 30))));
        Assert.True(set.Contains(ValueRangeSet.Empty));
        Assert.False(set.Contains(ValueRangeSet.Of(9, 20)));
        Assert.False(set.Contains(ValueRangeSet.Of(31, 31)));
        Assert.True(set.Contains(25UL));
        Assert.False(set.Contains(15UL));
        Assert.False(set.Contains(0UL));
    }

    [Fact]
    public void Extremes_of_ulong_do_not_overflow()
    {
        var all = ValueRangeSet.Of(0, ulong.MaxValue);
        var top = ValueRangeSet.Of(ulong.MaxValue - 1, ulong.MaxValue);

        Assert.Equal(ulong.MaxValue, all.Count);
        Assert.Equal(all, ValueRangeSet.Of(0, ulong.MaxValue - 2) + top);
        Assert.Equal("[0-18446744073709551613]", (all - top).ToString());
        Assert.Equal(top, top + top);
        Assert.True(all.Contains(top));
    }

    [Fact]
    public void Parse_reads_the_text_form_and_round_trips()
    {
        var set = ValueRangeSet.Parse("[31000-32000, 33000 - 33010]");

        Assert.Equal("[31000-32000, 33000-33010]", set.ToString());
        Assert.Equal(set, ValueRangeSet.Parse(set.ToString()));
        Assert.True(ValueRangeSet.Parse("[]").IsEmpty);
    }

    [Theory]
    [InlineData("[5-1]", "begin > end")]
    [InlineData("[1-2", "expected '[begin-end, ...]'")]
    [InlineData("[1-2-3]", "'1-2-3'")]
    [InlineData("[a-b]", "'a-b'")]
    [InlineData("[-1-2]", "'-1-2'")]
    [InlineData("[7]", "'7'")]
    public void Parse_rejects_bad_ranges(string text, string expected)
    {
        var e = Assert.Throws<ResourceFormatException>(() => ValueRangeSet.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_operations_agree_with_a_brute_force_model()
    {
        Seeds.ForEach(random =>
        {
            var (a, modelA) = RandomSet(random);
            var (b, modelB) = RandomSet(random);

            AssertMatches(modelA.Union(modelB), a.Union(b));
            AssertMatches(modelA.Except(modelB), a.Difference(b));
            AssertMatches(modelA.Intersect(modelB), a.Intersect(b));
            Assert.Equal(modelB.IsSubsetOf(modelA), a.Contains(b));
            Assert.Equal(modelA.Overlaps(modelB), a.Overlaps(b));
            for (ulong v = 0; v < Universe; v++)
            {
                Assert.Equal(modelA.Contains(v), a.Contains(v));
            }
        });
    }

    [Fact]
    public void Union_and_difference_laws_hold()
    {
        Seeds.ForEach(random =>
        {
            var a = RandomSet(random).Set;
            var b = RandomSet(random).Set;
            var c = RandomSet(random).Set;

            Assert.Equal(a + b, b + a);
            Assert.Equal((a + b) + c, a + (b + c));
            Assert.Equal(a, a + a);
            Assert.Equal(a, a + ValueRangeSet.Empty);
            Assert.True((a + b).Contains(a));
            Assert.True(a.Contains(a - b));
            Assert.False((a - b).Overlaps(b));
            Assert.Equal(a, (a - b) + a.Intersect(b));
            Assert.Equal(a - b, (a + b) - b);
            Assert.Equal(a.Count + b.Count - a.Intersect(b).Count, (a + b).Count);
            var sub = a.Intersect(b);
            Assert.Equal(a, (a - sub) + sub);
            Assert.True(ValueRangeSet.Empty == a - a);
        });
    }

    private const ulong Universe = 64;

    private static (ValueRangeSet Set, HashSet<ulong> Model) RandomSet(Random random)
    {
        var ranges = new List<InclusiveRange>();
        var model = new HashSet<ulong>();
        var n = random.Next(0, 6);
        for (var i = 0; i < n; i++)
        {
            var begin = (ulong)random.Next(0, (int)Universe);
            var end = Math.Min(Universe - 1, begin + (ulong)random.Next(0, 12));
            ranges.Add(new InclusiveRange(begin, end));
            for (var v = begin; v <= end; v++)
            {
                model.Add(v);
            }
        }

        var set = ValueRangeSet.Of(ranges);
        AssertNormalized(set);
        return (set, model);
    }

    private static void AssertMatches(IEnumerable<ulong> expected, ValueRangeSet actual)
    {
        AssertNormalized(actual);
        var values = actual.Ranges.SelectMany(static r => Enumerable.Range((int)r.Begin, (int)r.Count).Select(static v => (ulong)v));
        Assert.Equal(expected.Order(), values);
        Assert.Equal((ulong)expected.Count(), actual.Count);
    }

    private static void AssertNormalized(ValueRangeSet set)
    {
        for (var i = 1; i < set.Ranges.Length; i++)
        {
            Assert.True(set.Ranges[i - 1].End + 1 < set.Ranges[i].Begin, $"not normalized: {set}");
        }
    }
}
