using System.Globalization;

namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>A non-integral resource quantity kept the way Mesos keeps scalars: a whole number of
/// thousandths stored in a <see cref="long"/>. Mesos rounds every scalar to three decimals before it does
/// arithmetic so that clients see predictable results (0.1 + 0.2 == 0.3); doing the same here keeps our
/// sums, comparisons and offers byte-for-byte compatible with what a Mesos master would report.</summary>
public readonly struct FixedPoint : IEquatable<FixedPoint>, IComparable<FixedPoint>, IComparable
{
    /// <summary>Thousandths per unit: three decimals, as in Mesos.</summary>
    public const long Scale = 1000;

    public static FixedPoint Zero => default;

    public static FixedPoint MaxValue => new(long.MaxValue);

    private FixedPoint(long milli) => Milli = milli;

    /// <summary>The raw value in thousandths (1.5 is 1500).</summary>
    public long Milli { get; }

    public bool IsZero => Milli == 0;

    public bool IsNegative => Milli < 0;

    public static FixedPoint FromMilli(long milli) => new(milli);

    public static FixedPoint FromInt64(long units) => new(checked(units * Scale));

    /// <summary>Rounds to the nearest thousandth, halves away from zero (C's llround, which Mesos uses).
    /// NaN, infinities and values beyond the range of a long count of thousandths are rejected: they have
    /// no fixed-point meaning and would otherwise poison every later sum.</summary>
    public static FixedPoint FromDouble(double value)
    {
        if (!TryFromDouble(value, out var result))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Scalar must be a finite number within range.");
        }

        return result;
    }

    public static bool TryFromDouble(double value, out FixedPoint result)
    {
        result = default;
        if (!double.IsFinite(value))
        {
            return false;
        }

        var scaled = Math.Round(value * Scale, MidpointRounding.AwayFromZero);

        // 2^63 is exactly representable; anything at or beyond it overflows a long.
        if (scaled >= 9.2233720368547758E18 || scaled < -9.2233720368547758E18)
        {
            return false;
        }

        result = new FixedPoint((long)scaled);
        return true;
    }

    /// <summary>Whole units and the remainder are converted separately (as Mesos does), so the only floating
    /// point division ever done is of a value in [0, 999] by 1000, which is the correctly rounded double
    /// nearest the decimal: 300 thousandths come out as exactly the double literal 0.3.</summary>
    public double ToDouble() => (double)(Milli / Scale) + ((double)(Milli % Scale) / Scale);

    public static FixedPoint Add(FixedPoint left, FixedPoint right) => new(checked(left.Milli + right.Milli));

    public static FixedPoint Subtract(FixedPoint left, FixedPoint right) => new(checked(left.Milli - right.Milli));

    public static FixedPoint Negate(FixedPoint value) => new(checked(-value.Milli));

    public static FixedPoint Min(FixedPoint left, FixedPoint right) => left.Milli <= right.Milli ? left : right;

    public static FixedPoint Max(FixedPoint left, FixedPoint right) => left.Milli >= right.Milli ? left : right;

    public static int Compare(FixedPoint left, FixedPoint right) => left.Milli.CompareTo(right.Milli);

    public static FixedPoint operator +(FixedPoint left, FixedPoint right) => Add(left, right);

    public static FixedPoint operator -(FixedPoint left, FixedPoint right) => Subtract(left, right);

    public static FixedPoint operator -(FixedPoint value) => Negate(value);

    public static bool operator ==(FixedPoint left, FixedPoint right) => left.Milli == right.Milli;

    public static bool operator !=(FixedPoint left, FixedPoint right) => left.Milli != right.Milli;

    public static bool operator <(FixedPoint left, FixedPoint right) => left.Milli < right.Milli;

    public static bool operator <=(FixedPoint left, FixedPoint right) => left.Milli <= right.Milli;

    public static bool operator >(FixedPoint left, FixedPoint right) => left.Milli > right.Milli;

    public static bool operator >=(FixedPoint left, FixedPoint right) => left.Milli >= right.Milli;

    public bool Equals(FixedPoint other) => Milli == other.Milli;

    public override bool Equals(object? obj) => obj is FixedPoint other && Equals(other);

    public override int GetHashCode() => Milli.GetHashCode();

    public int CompareTo(FixedPoint other) => Milli.CompareTo(other.Milli);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        FixedPoint other => CompareTo(other),
        _ => throw new ArgumentException("Object must be a FixedPoint.", nameof(obj)),
    };

    /// <summary>Shortest exact decimal, invariant culture: "4", "0.3", "1.25", "-0.001". This is the form
    /// the Mesos text syntax uses, and it parses back to the same value.</summary>
    public override string ToString()
    {
        var negative = Milli < 0;

        // Work on the magnitude as an unsigned value so long.MinValue does not overflow.
        var magnitude = negative ? unchecked((ulong)-Milli) : (ulong)Milli;
        var units = magnitude / Scale;
        var fraction = magnitude % Scale;
        var text = units.ToString(CultureInfo.InvariantCulture);
        if (fraction != 0)
        {
            text += "." + fraction.ToString("000", CultureInfo.InvariantCulture).TrimEnd('0');
        }

        return negative ? "-" + text : text;
    }
}
