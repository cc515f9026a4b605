using System.Collections.Immutable;
using Mesos.Orleans.Interfaces.Resources;

namespace Mesos.Orleans.Grains.Allocation;

/// <summary>The refusal filters on one agent, immutable. An allocation run asks "does framework F refuse
/// what this agent offers?" up to agents × frameworks times when frameworks decline a lot (Mesos's
/// DeclineOffers benchmark), so the common answer must cost a bit test:
/// <list type="bullet">
/// <item><see cref="Pool"/> is a declined pool shared by many filters (typically the agent's whole available
/// pool, declined by framework after framework); <c>_poolBits</c> marks every framework whose filter
/// contains it. If an offer fits in the pool, a marked framework refuses it — no resource arithmetic.</item>
/// <item>Other filters are found by binary search (sorted by framework) and checked by containment.</item>
/// </list>
/// Expired filters are swept before each run, so every filter here is live for that run.</summary>
public sealed class AgentFilters
{
    private readonly ulong[] _anyBits;
    private readonly ulong[] _poolBits;
    private readonly ImmutableArray<OfferFilter> _filters;

    private AgentFilters(ImmutableArray<OfferFilter> filters, ResourceBag? pool, ulong[] anyBits, ulong[] poolBits, DateTimeOffset nextExpiry)
    {
        _filters = filters;
        Pool = pool;
        _anyBits = anyBits;
        _poolBits = poolBits;
        NextExpiry = nextExpiry;
    }

    public static AgentFilters None { get; } = new([], null, [], [], DateTimeOffset.MaxValue);

    public int Count => _filters.Length;

    public ImmutableArray<OfferFilter> All => _filters;

    /// <summary>The declined pool the fast path compares offers with.</summary>
    public ResourceBag? Pool { get; }

    /// <summary>The earliest expiry, so sweeps skip agents with nothing to expire.</summary>
    public DateTimeOffset NextExpiry { get; }

    public bool MayFilter(int frameworkIndex) => Test(_anyBits, frameworkIndex);

    /// <summary>True when the framework's filter for <paramref name="role"/> refuses <paramref name="offerable"/>.
    /// <paramref name="fitsPool"/> is <c>Pool.Contains(offerable)</c>, computed once per agent by the caller.</summary>
    public bool Refuses(int frameworkIndex, string role, bool singleRole, ResourceBag offerable, bool fitsPool)
    {
        if (!Test(_anyBits, frameworkIndex))
        {
            return false;
        }

        // A pool bit says nothing of the role; for one-role frameworks the role is implied.
        if (fitsPool && singleRole && Test(_poolBits, frameworkIndex))
        {
            return true;
        }

        for (var i = LowerBound(frameworkIndex); i < _filters.Length && _filters[i].FrameworkIndex == frameworkIndex; i++)
        {
            var filter = _filters[i];
            if (string.Equals(filter.Role, role, StringComparison.Ordinal) && filter.Resources.Contains(offerable))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds a filter. Earlier filters of the framework and role stay (any live one may refuse, as in
    /// Mesos), except those the new one makes redundant: no more resources and no later expiry.</summary>
    public AgentFilters With(OfferFilter filter)
    {
        var kept = _filters.RemoveAll(f => f.FrameworkIndex == filter.FrameworkIndex && string.Equals(f.Role, filter.Role, StringComparison.Ordinal)
            && f.Expires <= filter.Expires && filter.Resources.Contains(f.Resources));
        var at = 0;
        while (at < kept.Length && kept[at].FrameworkIndex <= filter.FrameworkIndex)
        {
            at++;
        }

        var filters = kept.Insert(at, filter);
        if (Pool is not null && Pool.Equals(filter.Resources))
        {
            // The common case: one more framework declined the same pool. No rescan.
            return new AgentFilters(filters, Pool, Set(_anyBits, filter.FrameworkIndex), Set(_poolBits, filter.FrameworkIndex), Min(NextExpiry, filter.Expires));
        }

        return Build(filters, filter.Resources);
    }

    /// <summary>Drops the framework's filters (all roles, or those named).</summary>
    public AgentFilters Without(int frameworkIndex, IReadOnlySet<string>? roles = null) =>
        !MayFilter(frameworkIndex)
            ? this
            : Build(_filters.RemoveAll(f => f.FrameworkIndex == frameworkIndex && (roles is null || roles.Contains(f.Role))), Pool);

    public AgentFilters WithoutExpired(DateTimeOffset now) =>
        NextExpiry > now ? this : Build(_filters.RemoveAll(f => f.Expires <= now), Pool);

    public override string ToString() => $"{_filters.Length} filters";

    private static AgentFilters Build(ImmutableArray<OfferFilter> filters, ResourceBag? pool)
    {
        if (filters.IsEmpty)
        {
            return None;
        }

        var words = (filters[^1].FrameworkIndex >> 6) + 1;
        var any = new ulong[words];
        var inPool = new ulong[words];
        var next = DateTimeOffset.MaxValue;
        foreach (var filter in filters)
        {
            any[filter.FrameworkIndex >> 6] |= 1UL << (filter.FrameworkIndex & 63);
            if (pool is not null && filter.Resources.Contains(pool))
            {
                inPool[filter.FrameworkIndex >> 6] |= 1UL << (filter.FrameworkIndex & 63);
            }

            next = Min(next, filter.Expires);
        }

        return new AgentFilters(filters, pool, any, inPool, next);
    }

    private int LowerBound(int frameworkIndex)
    {
        int low = 0, high = _filters.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_filters[mid].FrameworkIndex < frameworkIndex)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private static bool Test(ulong[] bits, int index)
    {
        var word = index >> 6;
        return word < bits.Length && (bits[word] & (1UL << (index & 63))) != 0;
    }

    private static ulong[] Set(ulong[] bits, int index)
    {
        var copy = new ulong[Math.Max(bits.Length, (index >> 6) + 1)];
        bits.CopyTo(copy, 0);
        copy[index >> 6] |= 1UL << (index & 63);
        return copy;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
