using Mesos.Orleans.Interfaces.Resources;

namespace Mesos.Orleans.UnitTests.Resources;

public sealed class FixedPointTests
{
    [Fact]
    public void Point_one_plus_point_two_is_exactly_point_three()
    {
        var sum = FixedPoint.FromDouble(0.1) + FixedPoint.FromDouble(0.2);

        Assert.Equal(FixedPoint.FromDouble(0.3), sum);
        Assert.Equal(300, sum.Milli);
        Assert.Equal(0.3, sum.ToDouble());
    }

    [Theory]
    [InlineData(1.0004, 1000)]
    [InlineData(1.0625, 1063)]
    [InlineData(-1.0625, -1063)]
    [InlineData(0.0004999, 0)]
    [InlineData(2.5, 2500)]
    [InlineData(1e-9, 0)]
    public void From_double_rounds_to_the_nearest_thousandth_halves_away_from_zero(double value, long milli)
    {
        Assert.Equal(milli, FixedPoint.FromDouble(value).Milli);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(1e17)]
    public void From_double_rejects_values_without_a_fixed_point_meaning(double value)
    {
        Assert.False(FixedPoint.TryFromDouble(value, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.FromDouble(value));
    }

    [Theory]
    [InlineData(4000, "4")]
    [InlineData(300, "0.3")]
    [InlineData(1250, "1.25")]
    [InlineData(1, "0.001")]
    [InlineData(-1500, "-1.5")]
    [InlineData(0, "0")]
    public void To_string_is_the_shortest_exact_decimal(long milli, string expected)
    {
        Assert.Equal(expected, FixedPoint.FromMilli(milli).ToString());
    }

    [Fact]
    public void Comparison_and_arithmetic_are_exact()
    {
        var a = FixedPoint.FromDouble(1.001);
        var b = FixedPoint.FromDouble(1.002);

        Assert.True(a < b);
        Assert.True(b > a);
        Assert.True(a <= FixedPoint.FromMilli(1001));
        Assert.Equal(FixedPoint.FromMilli(1), b - a);
        Assert.Equal(-1, a.CompareTo(b));
        Assert.Equal(FixedPoint.FromInt64(3), FixedPoint.FromMilli(1500) + FixedPoint.FromMilli(1500));
        Assert.True((a - b).IsNegative);
    }

    [Fact]
    public void Summing_thousandths_is_exact_and_round_trips_through_double()
    {
        Seeds.ForEach(random =>
        {
            long expected = 0;
            var sum = FixedPoint.Zero;
            for (var i = 0; i < 50; i++)
            {
                var milli = random.NextInt64(0, 10_000_000);
                expected += milli;
                sum += FixedPoint.FromDouble(milli / 1000.0);
            }

            Assert.Equal(expected, sum.Milli);
            Assert.Equal(sum, FixedPoint.FromDouble(sum.ToDouble()));
        });
    }
}
