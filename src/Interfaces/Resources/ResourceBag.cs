using System.Collections.Immutable;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>An immutable multiset of resources: the master's unit of accounting for agent totals, offers,
/// task requests and allocations (Mesos's C++ <c>Resources</c> class). Entries with equal keys are always
/// combined and empty entries (zero scalars, empty ranges or sets) are always dropped, so every bag has
/// one canonical content and equality ignores entry order. Entry order otherwise follows first insertion,
/// which keeps text and wire output stable. Copying is a reference copy; every operation returns a new
/// bag and leaves its inputs alone, so bags can be shared freely between grains and threads.
/// <para>Subtraction: <see cref="Subtract"/> (and operator -) throws <see cref="InvalidOperationException"/>
/// unless the bag <see cref="Contains"/> the subtrahend, because taking away resources that are not there
/// is always an accounting bug in the master (double launch, double release) and must not be hidden.
/// <see cref="SubtractClamped"/> is the forgiving variant for callers that really want "whatever is left".</para>
/// <para>Deliberate simplifications compared with Mesos: shared resources and persistent volumes are
/// summed like any other resource (Mesos counts shared copies and never merges two persistent volumes).</para></summary>
public sealed partial class ResourceBag : IEquatable<ResourceBag>
{
    private readonly ImmutableArray<ResourceEntry> _entries;
    private ImmutableSortedDictionary<string, FixedPoint>? _quantities;

    private ResourceBag(ImmutableArray<ResourceEntry> entries) => _entries = entries;

    public static ResourceBag Empty { get; } = new(ImmutableArray<ResourceEntry>.Empty);

    /// <summary>The entries, one per distinct key, none empty, in first-insertion order.</summary>
    public ImmutableArray<ResourceEntry> Entries => _entries;

    public bool IsEmpty => _entries.IsEmpty;

    public int Count => _entries.Length;

    /// <summary>A bag holding the given entries, combining equal keys and dropping empty values.</summary>
    public static ResourceBag Of(params IEnumerable<ResourceEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var builder = new Accumulator(ImmutableArray<ResourceEntry>.Empty);
        foreach (var entry in entries)
        {
            builder.Add(entry);
        }

        return builder.ToBag();
    }

    public static ResourceBag Of(ResourceKey key, ResourceValue value) => Of(new ResourceEntry(key, value));

    /// <summary>A single unreserved scalar, e.g. <c>ResourceBag.Scalar("cpus", 2)</c>.</summary>
    public static ResourceBag Scalar(string name, double amount) =>
        Of(new ResourceKey(name, ResourceValueType.SCALAR), ResourceValue.FromScalar(amount));

    /// <summary>The value stored under exactly this key, if any.</summary>
    public bool TryGetValue(ResourceKey key, out ResourceValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var entry in _entries)
        {
            if (entry.Key.Equals(key))
            {
                value = entry.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public ResourceBag Add(ResourceBag other)
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

        var builder = new Accumulator(_entries);
        foreach (var entry in other._entries)
        {
            builder.Add(entry);
        }

        return builder.ToBag();
    }

    /// <summary>True when every entry of <paramref name="other"/> fits inside the entry with the same key
    /// here. Keys must match exactly: cpus reserved to "eng" do not contain unreserved cpus, and offered
    /// resources (with an allocation role) do not contain the same resources without one.</summary>
    public bool Contains(ResourceBag other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(this, other) || other.IsEmpty)
        {
            return true;
        }

        var index = _entries.Length * other._entries.Length > 64 ? BuildIndex() : null;
        foreach (var entry in other._entries)
        {
            if (!TryFind(index, entry.Key, out var mine) || !mine.Contains(entry.Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>This bag minus <paramref name="other"/>, which must be contained in it.</summary>
    /// <exception cref="InvalidOperationException">Some of <paramref name="other"/> is not in this bag; the
    /// message lists what is missing.</exception>
    public ResourceBag Subtract(ResourceBag other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Contains(other))
        {
            throw new InvalidOperationException(
                $"Cannot subtract resources that are not contained: missing {other.SubtractClamped(this)} (have {this}; subtracting {other})");
        }

        return SubtractClamped(other);
    }

    /// <summary>This bag minus whatever of <paramref name="other"/> it has: scalars stop at zero, ranges and
    /// sets lose only the values they hold, and keys absent here are ignored. Never throws.</summary>
    public ResourceBag SubtractClamped(ResourceBag other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IsEmpty || other.IsEmpty)
        {
            return this;
        }

        if (ReferenceEquals(this, other))
        {
            return Empty;
        }

        var builder = new Accumulator(_entries);
        foreach (var entry in other._entries)
        {
            builder.SubtractClamped(entry);
        }

        return builder.ToBag();
    }

    public static ResourceBag operator +(ResourceBag left, ResourceBag right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.Add(right);
    }

    /// <summary>Same as <see cref="Subtract"/>: throws when <paramref name="right"/> is not contained.</summary>
    public static ResourceBag operator -(ResourceBag left, ResourceBag right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.Subtract(right);
    }

    public static bool operator ==(ResourceBag? left, ResourceBag? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(ResourceBag? left, ResourceBag? right) => !(left == right);

    /// <summary>Same entries, in any order.</summary>
    public bool Equals(ResourceBag? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (_entries.Length != other._entries.Length)
        {
            return false;
        }

        var index = _entries.Length > 8 ? BuildIndex() : null;
        foreach (var entry in other._entries)
        {
            if (!TryFind(index, entry.Key, out var mine) || !mine.Equals(entry.Value))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as ResourceBag);

    /// <summary>Order-independent: a sum of per-entry hashes.</summary>
    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var entry in _entries)
        {
            hash = unchecked(hash + HashCode.Combine(entry.Key, entry.Value));
        }

        return hash;
    }

    /// <summary>The Mesos text syntax, e.g. "cpus:4; mem:1024; ports:[31000-32000]; cpus(eng):2".
    /// Unreserved and statically reserved resources parse back with <see cref="Parse"/> to an equal bag;
    /// dynamic reservations, allocation roles, revocable, shared and persistent resources are shown with
    /// Mesos's descriptive annotations, which are for people and logs only.</summary>
    public override string ToString() => string.Join("; ", _entries);

    private Dictionary<ResourceKey, ResourceValue> BuildIndex()
    {
        var index = new Dictionary<ResourceKey, ResourceValue>(_entries.Length);
        foreach (var entry in _entries)
        {
            index[entry.Key] = entry.Value;
        }

        return index;
    }

    private bool TryFind(Dictionary<ResourceKey, ResourceValue>? index, ResourceKey key, out ResourceValue value) =>
        index is null ? TryGetValue(key, out value) : index.TryGetValue(key, out value);

    /// <summary>Mutable scratch space for building a bag: combines by key (a dictionary index keeps large
    /// bags linear) and drops empty values only at the end so indices stay stable meanwhile.</summary>
    private sealed class Accumulator
    {
        private const int IndexThreshold = 8;

        private readonly List<ResourceEntry> _list;
        private Dictionary<ResourceKey, int>? _index;

        public Accumulator(ImmutableArray<ResourceEntry> start) => _list = [.. start];

        public void Add(ResourceEntry entry)
        {
            var at = IndexOf(entry.Key);
            if (at < 0)
            {
                if (!entry.Value.IsEmpty)
                {
                    Append(entry);
                }
            }
            else
            {
                _list[at] = _list[at] with { Value = _list[at].Value.Add(entry.Value) };
            }
        }

        public void SubtractClamped(ResourceEntry entry)
        {
            var at = IndexOf(entry.Key);
            if (at < 0)
            {
                return;
            }

            var difference = _list[at].Value.Subtract(entry.Value);
            if (difference.Type == ResourceValueType.SCALAR && difference.Scalar.IsNegative)
            {
                difference = ResourceValue.FromScalar(FixedPoint.Zero);
            }

            _list[at] = _list[at] with { Value = difference };
        }

        public ResourceBag ToBag()
        {
            _list.RemoveAll(static e => e.Value.IsEmpty);
            return _list.Count == 0 ? Empty : new ResourceBag([.. _list]);
        }

        private void Append(ResourceEntry entry)
        {
            _list.Add(entry);
            _index?.Add(entry.Key, _list.Count - 1);
        }

        private int IndexOf(ResourceKey key)
        {
            if (_index is null && _list.Count > IndexThreshold)
            {
                _index = new Dictionary<ResourceKey, int>(_list.Count * 2);
                for (var i = 0; i < _list.Count; i++)
                {
                    _index[_list[i].Key] = i;
                }
            }

            if (_index is not null)
            {
                return _index.TryGetValue(key, out var at) ? at : -1;
            }

            for (var i = 0; i < _list.Count; i++)
            {
                if (_list[i].Key.Equals(key))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
