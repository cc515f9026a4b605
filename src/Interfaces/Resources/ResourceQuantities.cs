using System.Collections.Immutable;
using System.Globalization;

namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>Amounts of resources by name, with no reservations or roles attached — what quota guarantees
/// and limits, DRF shares and headroom are measured in (Mesos's ResourceQuantities). Scalars only: a
/// range or set counts as the number of its values. Immutable; missing names are zero.</summary>
public sealed class ResourceQuantities : IEquatable<ResourceQuantities>
{
    private readonly ImmutableSortedDictionary<string, FixedPoint> _amounts;

    private ResourceQuantities(ImmutableSortedDictionary<string, FixedPoint> amounts) => _amounts = amounts;

    public static ResourceQuantities Empty { get; } = new(ImmutableSortedDictionary.Create<string, FixedPoint>(StringComparer.Ordinal));

    public bool IsEmpty => _amounts.IsEmpty;

    public IEnumerable<string> Names => _amounts.Keys;

    public IEnumerable<KeyValuePair<string, FixedPoint>> Amounts => _amounts;

    public FixedPoint this[string name] => _amounts.TryGetValue(name, out var amount) ? amount : FixedPoint.Zero;

    public bool Has(string name) => _amounts.ContainsKey(name);

    public static ResourceQuantities Of(IEnumerable<KeyValuePair<string, FixedPoint>> amounts)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, FixedPoint>(StringComparer.Ordinal);
        foreach (var (name, amount) in amounts)
        {
            if (amount.IsNegative)
            {
                throw new ResourceFormatException($"Negative quantity {amount} for '{name}'");
            }

            if (!amount.IsZero)
            {
                builder[name] = builder.TryGetValue(name, out var existing) ? existing + amount : amount;
            }
        }

        return builder.Count == 0 ? Empty : new ResourceQuantities(builder.ToImmutable());
    }

    /// <summary>The quantities of a bag: the totals by name over every reservation and role.</summary>
    public static ResourceQuantities Of(ResourceBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        return bag.IsEmpty ? Empty : new ResourceQuantities(bag.Quantities.WithComparers(StringComparer.Ordinal));
    }

    /// <summary>Parses <c>cpus:1;mem:1024</c>; the Mesos quota syntax.</summary>
    public static ResourceQuantities Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var amounts = new List<KeyValuePair<string, FixedPoint>>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !double.TryParse(part[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || !FixedPoint.TryFromDouble(value, out var amount))
            {
                throw new ResourceFormatException($"Invalid quantity '{part}': expecting name:number");
            }

            amounts.Add(new(part[..colon].Trim(), amount));
        }

        return Of(amounts);
    }

    public ResourceQuantities Add(ResourceQuantities other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty)
        {
            return this;
        }

        var builder = _amounts.ToBuilder();
        foreach (var (name, amount) in other._amounts)
        {
            builder[name] = builder.TryGetValue(name, out var existing) ? existing + amount : amount;
        }

        return new ResourceQuantities(builder.ToImmutable());
    }

    /// <summary>This less <paramref name="other"/>, never below zero in any name.</summary>
    public ResourceQuantities SubtractClamped(ResourceQuantities other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty)
        {
            return this;
        }

        var builder = _amounts.ToBuilder();
        foreach (var (name, amount) in other._amounts)
        {
            if (builder.TryGetValue(name, out var existing))
            {
                var left = existing - amount;
                if (left.Milli > 0)
                {
                    builder[name] = left;
                }
                else
                {
                    builder.Remove(name);
                }
            }
        }

        return builder.Count == 0 ? Empty : new ResourceQuantities(builder.ToImmutable());
    }

    /// <summary>True when every amount here is at least the one in <paramref name="other"/>.</summary>
    public bool Contains(ResourceQuantities other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (name, amount) in other._amounts)
        {
            if (this[name] < amount)
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(ResourceQuantities? other) =>
        other is not null && other._amounts.Count == _amounts.Count && other.Contains(this) && Contains(other);

    public override bool Equals(object? obj) => Equals(obj as ResourceQuantities);

    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var (name, amount) in _amounts)
        {
            hash ^= HashCode.Combine(name, amount);
        }

        return hash;
    }

    public override string ToString() =>
        string.Join(';', _amounts.Select(a => $"{a.Key}:{a.Value}"));
}
