using System.Globalization;

namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>One closed interval [Begin, End] of a RANGES resource (ports, typically). Both ends are
/// inclusive, as in mesos.v1.Value.Range.</summary>
public readonly record struct InclusiveRange
{
    public InclusiveRange(ulong begin, ulong end)
    {
        if (begin > end)
        {
            throw new ArgumentException($"Range begin {begin} is greater than its end {end}.", nameof(begin));
        }

        Begin = begin;
        End = end;
    }

    public ulong Begin { get; }

    public ulong End { get; }

    /// <summary>How many values the range holds. Saturates at ulong.MaxValue: only [0, ulong.MaxValue]
    /// itself (2^64 values) cannot be counted in a ulong, and nothing real is that big.</summary>
    public ulong Count => End - Begin == ulong.MaxValue ? ulong.MaxValue : End - Begin + 1;

    public bool Contains(ulong value) => value >= Begin && value <= End;

    public override string ToString() =>
        Begin.ToString(CultureInfo.InvariantCulture) + "-" + End.ToString(CultureInfo.InvariantCulture);
}
