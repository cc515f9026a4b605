using System.Collections.Immutable;
using System.Globalization;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>An immutable set of ulong values held as sorted, disjoint, non-adjacent closed ranges. Keeping
/// it normalized (what Mesos calls "coalesced") gives every set exactly one representation, so equality is
/// a plain comparison and [1-3] + [4-5] is [1-5]; all operations are linear merges of two sorted lists.</summary>
public sealed class ValueRangeSet : IEquatable<ValueRangeSet>
{
    public static ValueRangeSet Empty { get; } = new(ImmutableArray<InclusiveRange>.Empty);

    private ValueRangeSet(ImmutableArray<InclusiveRange> ranges) => Ranges = ranges;

    /// <summary>The normalized ranges, ascending.</summary>
    public ImmutableArray<InclusiveRange> Ranges { get; }

    public bool IsEmpty => Ranges.IsEmpty;

    /// <summary>Number of values (e.g. ports) in the set, saturating at ulong.MaxValue.</summary>
    public ulong Count
    {
        get
        {
            ulong total = 0;
            foreach (var range in Ranges)
            {
                var count = range.Count;
                total = ulong.MaxValue - total < count ? ulong.MaxValue : total + count;
            }

            return total;
        }
    }

    public static ValueRangeSet Of(ulong begin, ulong end) => new([new InclusiveRange(begin, end)]);

    public static ValueRangeSet Of(params IEnumerable<InclusiveRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var list = ranges.ToList();
        list.Sort(static (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        var builder = ImmutableArray.CreateBuilder<InclusiveRange>(list.Count);
        foreach (var range in list)
        {
            AppendMerging(builder, range);
        }

        return Create(builder);
    }

    /// <summary>Reads a wire ValueRanges. Inverted ranges are rejected; overlapping ones are rejected only
    /// when <paramref name="rejectOverlaps"/> is set, which is what Mesos does for a single Resource (its
    /// validation refuses overlaps but tolerates adjacent, uncoalesced ranges).</summary>
    public static ValueRangeSet FromWire(ValueRanges? ranges, bool rejectOverlaps = false)
    {
        if (ranges?.Range is not { Count: > 0 } list)
        {
            return Empty;
        }

        var parsed = new List<InclusiveRange>(list.Count);
        foreach (var range in list)
        {
            if (range is null)
            {
                throw new ResourceFormatException("Invalid ranges: null range entry");
            }

            if (range.Begin > range.End)
            {
                throw new ResourceFormatException(
                    $"Invalid ranges: begin > end in [{range.Begin}-{range.End}]");
            }

            parsed.Add(new InclusiveRange(range.Begin, range.End));
        }

        var result = Of(parsed);
        if (rejectOverlaps && result.Count != SaturatingSum(parsed))
        {
            throw new ResourceFormatException("Invalid ranges: overlapping ranges");
        }

        return result;
    }

    /// <summary>Parses the Mesos text form "[31000-32000, 33000-33010]"; spaces are ignored and "[]" is the
    /// empty set. Each element must be "begin-end".</summary>
    public static ValueRangeSet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var compact = text.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (compact.Length < 2 || compact[0] != '[' || compact[^1] != ']')
        {
            throw new ResourceFormatException($"Invalid ranges '{text}': expected '[begin-end, ...]'");
        }

        var body = compact[1..^1];
        if (body.Length == 0)
        {
            return Empty;
        }

        var ranges = new List<InclusiveRange>();
        foreach (var part in body.Split(','))
        {
            var bounds = part.Split('-');
            if (bounds.Length != 2
                || !ulong.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var begin)
                || !ulong.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
            {
                throw new ResourceFormatException(
                    $"Invalid ranges '{text}': '{part}' is not 'begin-end' with non-negative integers");
            }

            if (begin > end)
            {
                throw new ResourceFormatException($"Invalid ranges '{text}': begin > end in '{part}'");
            }

            ranges.Add(new InclusiveRange(begin, end));
        }

        return Of(ranges);
    }

    public ValueRanges ToWire() => new()
    {
        Range = Ranges.Select(static r => new ValueRange { Begin = r.Begin, End = r.End }).ToList(),
    };

    public bool Contains(ulong value)
    {
        // Binary search on the begins: the candidate is the last range starting at or before value.
        int lo = 0, hi = Ranges.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Ranges[mid].Begin <= value)
            {
                if (Ranges[mid].End >= value)
                {
                    return true;
                }

                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return false;
    }

    /// <summary>Subset test: every value of <paramref name="other"/> is in this set. Because both sides are
    /// normalized, each range of the other must sit inside a single range of this one.</summary>
    public bool Contains(ValueRangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var i = 0;
        foreach (var range in other.Ranges)
        {
            while (i < Ranges.Length && Ranges[i].End < range.Begin)
            {
                i++;
            }

            if (i == Ranges.Length || Ranges[i].Begin > range.Begin || Ranges[i].End < range.End)
            {
                return false;
            }
        }

        return true;
    }

    public bool Overlaps(ValueRangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        int i = 0, j = 0;
        while (i < Ranges.Length && j < other.Ranges.Length)
        {
            var a = Ranges[i];
            var b = other.Ranges[j];
            if (a.End < b.Begin)
            {
                i++;
            }
            else if (b.End < a.Begin)
            {
                j++;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    public ValueRangeSet Union(ValueRangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        var builder = ImmutableArray.CreateBuilder<InclusiveRange>(Ranges.Length + other.Ranges.Length);
        int i = 0, j = 0;
        while (i < Ranges.Length || j < other.Ranges.Length)
        {
            var next = j == other.Ranges.Length || (i < Ranges.Length && Ranges[i].Begin <= other.Ranges[j].Begin)
                ? Ranges[i++]
                : other.Ranges[j++];
            AppendMerging(builder, next);
        }

        return Create(builder);
    }

    /// <summary>This set minus <paramref name="other"/>. Always defined (values of the other that are not
    /// here are simply ignored); removing the middle of a range splits it in two.</summary>
    public ValueRangeSet Difference(ValueRangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IsEmpty || other.IsEmpty)
        {
            return this;
        }

        var builder = ImmutableArray.CreateBuilder<InclusiveRange>(Ranges.Length + other.Ranges.Length);
        var j = 0;
        foreach (var range in Ranges)
        {
            // 'begin' is the lowest value of this range not yet emitted or removed.
            var begin = range.Begin;
            var exhausted = false;
            while (j < other.Ranges.Length && other.Ranges[j].End < begin)
            {
                j++;
            }

            var k = j;
            while (k < other.Ranges.Length && other.Ranges[k].Begin <= range.End)
            {
                var cut = other.Ranges[k];
                if (cut.Begin > begin)
                {
                    builder.Add(new InclusiveRange(begin, cut.Begin - 1));
                }

                if (cut.End >= range.End)
                {
                    exhausted = true;
                    break;
                }

                begin = Math.Max(begin, cut.End + 1);
                k++;
            }

            if (!exhausted)
            {
                builder.Add(new InclusiveRange(begin, range.End));
            }
        }

        return Create(builder);
    }

    public ValueRangeSet Intersect(ValueRangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var builder = ImmutableArray.CreateBuilder<InclusiveRange>();
        int i = 0, j = 0;
        while (i < Ranges.Length && j < other.Ranges.Length)
        {
            var a = Ranges[i];
            var b = other.Ranges[j];
            var begin = Math.Max(a.Begin, b.Begin);
            var end = Math.Min(a.End, b.End);
            if (begin <= end)
            {
                builder.Add(new InclusiveRange(begin, end));
            }

            if (a.End < b.End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return Create(builder);
    }

    public static ValueRangeSet operator +(ValueRangeSet left, ValueRangeSet right) => Add(left, right);

    public static ValueRangeSet operator -(ValueRangeSet left, ValueRangeSet right) => Subtract(left, right);

    public static ValueRangeSet Add(ValueRangeSet left, ValueRangeSet right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.Union(right);
    }

    public static ValueRangeSet Subtract(ValueRangeSet left, ValueRangeSet right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.Difference(right);
    }

    public static bool operator ==(ValueRangeSet? left, ValueRangeSet? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(ValueRangeSet? left, ValueRangeSet? right) => !(left == right);

    public bool Equals(ValueRangeSet? other) =>
        other is not null && (ReferenceEquals(this, other) || Ranges.AsSpan().SequenceEqual(other.Ranges.AsSpan()));

    public override bool Equals(object? obj) => Equals(obj as ValueRangeSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var range in Ranges)
        {
            hash.Add(range);
        }

        return hash.ToHashCode();
    }

    /// <summary>The Mesos text form, e.g. "[31000-32000, 33000-33010]"; <see cref="Parse"/> reads it back.</summary>
    public override string ToString() => "[" + string.Join(", ", Ranges) + "]";

    /// <summary>Appends a range that starts at or after every range already in the builder, merging it
    /// into the last one when they overlap or touch (end + 1 == begin, careful at ulong.MaxValue).</summary>
    private static void AppendMerging(ImmutableArray<InclusiveRange>.Builder builder, InclusiveRange range)
    {
        if (builder.Count > 0)
        {
            var last = builder[^1];
            if (last.End == ulong.MaxValue || range.Begin <= last.End + 1)
            {
                if (range.End > last.End)
                {
                    builder[^1] = new InclusiveRange(last.Begin, range.End);
                }

                return;
            }
        }

        builder.Add(range);
    }

    private static ValueRangeSet Create(ImmutableArray<InclusiveRange>.Builder builder) =>
        builder.Count == 0 ? Empty : new ValueRangeSet(builder.DrainToImmutable());

    private static ulong SaturatingSum(List<InclusiveRange> ranges)
    {
        ulong total = 0;
        foreach (var range in ranges)
        {
            var count = range.Count;
            total = ulong.MaxValue - total < count ? ulong.MaxValue : total + count;
        }

        return total;
    }
}
