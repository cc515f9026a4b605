using System.Collections.Immutable;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>How much of a resource there is: a fixed-point scalar, a set of ranges, or a set of strings,
/// depending on <see cref="Type"/>. Arithmetic is only defined between values of the same type; the bag
/// guarantees that by putting the type in the <see cref="ResourceKey"/>. default(ResourceValue) is the
/// scalar zero.</summary>
public readonly struct ResourceValue : IEquatable<ResourceValue>
{
    private static readonly ImmutableSortedSet<string> EmptySet = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    private readonly ValueRangeSet? _ranges;
    private readonly ImmutableSortedSet<string>? _set;

    private ResourceValue(ResourceValueType type, FixedPoint scalar, ValueRangeSet? ranges, ImmutableSortedSet<string>? set)
    {
        Type = type;
        Scalar = scalar;
        _ranges = ranges;
        _set = set;
    }

    public ResourceValueType Type { get; }

    /// <summary>The amount of a SCALAR value; zero for other types.</summary>
    public FixedPoint Scalar { get; }

    /// <summary>The ranges of a RANGES value; empty for other types.</summary>
    public ValueRangeSet Ranges => _ranges ?? ValueRangeSet.Empty;

    /// <summary>The items of a SET value, in ordinal order; empty for other types.</summary>
    public ImmutableSortedSet<string> Set => _set ?? EmptySet;

    public bool IsEmpty => Type switch
    {
        ResourceValueType.SCALAR => Scalar.IsZero,
        ResourceValueType.RANGES => Ranges.IsEmpty,
        ResourceValueType.SET => Set.IsEmpty,
        _ => true,
    };

    /// <summary>The value as one number, for fairness shares and totals: the scalar itself, the number of
    /// values in the ranges (ports), or the number of set items.</summary>
    public FixedPoint Quantity => Type switch
    {
        ResourceValueType.SCALAR => Scalar,
        ResourceValueType.RANGES => CountToFixed(Ranges.Count),
        ResourceValueType.SET => FixedPoint.FromInt64(Set.Count),
        _ => FixedPoint.Zero,
    };

    public static ResourceValue FromScalar(FixedPoint scalar) => new(ResourceValueType.SCALAR, scalar, null, null);

    public static ResourceValue FromScalar(double scalar) => FromScalar(FixedPoint.FromDouble(scalar));

    public static ResourceValue FromRanges(ValueRangeSet ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        return new(ResourceValueType.RANGES, FixedPoint.Zero, ranges, null);
    }

    public static ResourceValue FromSet(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new(ResourceValueType.SET, FixedPoint.Zero, null, items is ImmutableSortedSet<string> { KeyComparer: var c } sorted && ReferenceEquals(c, StringComparer.Ordinal)
            ? sorted
            : ImmutableSortedSet.CreateRange(StringComparer.Ordinal, items));
    }

    public ResourceValue Add(ResourceValue other)
    {
        RequireSameType(other);
        return Type switch
        {
            ResourceValueType.SCALAR => FromScalar(Scalar + other.Scalar),
            ResourceValueType.RANGES => FromRanges(Ranges.Union(other.Ranges)),
            _ => FromSet(Set.Union(other.Set)),
        };
    }

    /// <summary>The plain difference: a scalar may go negative, ranges and sets lose whatever the other
    /// has in common with them. Callers decide what a shortfall means (see <see cref="Contains"/>).</summary>
    public ResourceValue Subtract(ResourceValue other)
    {
        RequireSameType(other);
        return Type switch
        {
            ResourceValueType.SCALAR => FromScalar(Scalar - other.Scalar),
            ResourceValueType.RANGES => FromRanges(Ranges.Difference(other.Ranges)),
            _ => FromSet(Set.Except(other.Set)),
        };
    }

    /// <summary>True when <paramref name="other"/> fits inside this value: a smaller or equal scalar, or a
    /// subset of the ranges or items.</summary>
    public bool Contains(ResourceValue other)
    {
        RequireSameType(other);
        return Type switch
        {
            ResourceValueType.SCALAR => other.Scalar <= Scalar,
            ResourceValueType.RANGES => Ranges.Contains(other.Ranges),
            _ => other.Set.IsSubsetOf(Set),
        };
    }

    public static bool operator ==(ResourceValue left, ResourceValue right) => left.Equals(right);

    public static bool operator !=(ResourceValue left, ResourceValue right) => !left.Equals(right);

    public bool Equals(ResourceValue other) =>
        Type == other.Type && Type switch
        {
            ResourceValueType.SCALAR => Scalar == other.Scalar,
            ResourceValueType.RANGES => Ranges.Equals(other.Ranges),
            _ => Set.SetEquals(other.Set),
        };

    public override bool Equals(object? obj) => obj is ResourceValue other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        switch (Type)
        {
            case ResourceValueType.SCALAR:
                hash.Add(Scalar);
                break;
            case ResourceValueType.RANGES:
                hash.Add(Ranges);
                break;
            default:
                foreach (var item in Set)
                {
                    hash.Add(item, StringComparer.Ordinal);
                }

                break;
        }

        return hash.ToHashCode();
    }

    /// <summary>"4", "0.5", "[31000-32000, 33000-33010]" or "{a, b}": the value part of the Mesos text syntax.</summary>
    public override string ToString() => Type switch
    {
        ResourceValueType.SCALAR => Scalar.ToString(),
        ResourceValueType.RANGES => Ranges.ToString(),
        _ => "{" + string.Join(", ", Set) + "}",
    };

    private void RequireSameType(ResourceValue other)
    {
        if (Type != other.Type)
        {
            throw new InvalidOperationException($"Cannot combine a {Type} value with a {other.Type} value");
        }
    }

    private static FixedPoint CountToFixed(ulong count) =>
        count >= (ulong)(long.MaxValue / FixedPoint.Scale) ? FixedPoint.MaxValue : FixedPoint.FromInt64((long)count);
}
