namespace Mesos.Orleans.Grains.Allocation;

/// <summary>Something ordered by dominant share: a role among its siblings, or a framework in its role.</summary>
public abstract class ShareMember
{
    /// <summary>Weighted dominant share; smaller goes first. Changed only through <see cref="ShareOrder{T}.Update"/>.</summary>
    public double Share { get; internal set; }

    /// <summary>Allocations received so far: among equal shares, fewer goes first (Mesos's DRF sorter), so
    /// equals take turns instead of the first by name winning every time.</summary>
    public long Allocations { get; internal set; }

    /// <summary>Breaks ties deterministically.</summary>
    public abstract string SortKey { get; }
}

/// <summary>Members kept sorted by share in a plain array. Iterating costs a load per member — what a run
/// does most — and a member whose share changes moves by two binary searches and one block copy
/// (vectorised), never a re-sort.</summary>
public sealed class ShareOrder<T>
    where T : ShareMember
{
    private static readonly Comparer<T> Order = Comparer<T>.Create(Compare);
    private T[] _items = [];

    public int Count { get; private set; }

    public T this[int index] => _items[index];

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, Math.Max(4, Count * 2));
        }

        _items[Count++] = item;
    }

    /// <summary>Sorts once, after the members have been added.</summary>
    public void Sort() => Array.Sort(_items, 0, Count, Order);

    public void Remove(T item)
    {
        var at = IndexOf(item);
        Array.Copy(_items, at + 1, _items, at, Count - at - 1);
        _items[--Count] = null!;
    }

    /// <summary>Gives a member a new share (and one more allocation, if it got one) and moves it to its place.</summary>
    public void Update(T item, double share, bool allocated = false)
    {
        var from = IndexOf(item);
        item.Share = share;
        if (allocated)
        {
            item.Allocations++;
        }

        var to = from;
        if (from + 1 < Count && Compare(_items[from + 1], item) < 0)
        {
            to = ~Array.BinarySearch(_items, from + 1, Count - from - 1, item, Order) - 1;
            Array.Copy(_items, from + 1, _items, from, to - from);
        }
        else if (from > 0 && Compare(_items[from - 1], item) > 0)
        {
            to = ~Array.BinarySearch(_items, 0, from, item, Order);
            Array.Copy(_items, to, _items, to + 1, from - to);
        }

        _items[to] = item;
    }

    private int IndexOf(T item)
    {
        var at = Array.BinarySearch(_items, 0, Count, item, Order);
        return at >= 0 && ReferenceEquals(_items[at], item)
            ? at
            : throw new InvalidOperationException("The member is not in this order");
    }

    private static int Compare(T? a, T? b)
    {
        var byShare = a!.Share.CompareTo(b!.Share);
        if (byShare != 0)
        {
            return byShare;
        }

        var byAllocations = a.Allocations.CompareTo(b.Allocations);
        return byAllocations != 0 ? byAllocations : string.CompareOrdinal(a.SortKey, b.SortKey);
    }
}
