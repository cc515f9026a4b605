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
/// <item>Other filters are looked up by framework and checked by containment.</item>
/// </list>
/// Adding a filter copies the bit words and one framework's few filters, never the agent's whole set.
/// Expired filters are swept before each run, so every filter here is live for that run.</summary>
public sealed class AgentFilters
{
    private readonly ulong[] _anyBits;
    private readonly ulong[] _poolBits;
    private readonly ImmutableDictionary<int, ImmutableArray<OfferFilter>> _byFramework;

    private AgentFilters(ImmutableDictionary<int, ImmutableArray<OfferFilter>> byFramework, int count, ResourceBag? pool, ulong[] anyBits, ulong[] poolBits, DateTimeOffset nextExpiry)
    {
        _byFramework = byFramework;
        Count = count;
        Pool = pool;
        _anyBits = anyBits;
        _poolBits = poolBits;
        NextExpiry = nextExpiry;
    }

    public static AgentFilters None { get; } = new(ImmutableDictionary<int, ImmutableArray<OfferFilter>>.Empty, 0, null, [], [], DateTimeOffset.MaxValue);

    public int Count { get; }

    public IEnumerable<OfferFilter> All => _byFramework.Values.SelectMany(f => f);

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

        foreach (var filter in _byFramework[frameworkIndex])
        {
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
        var index = filter.FrameworkIndex;
        var own = _byFramework.TryGetValue(index, out var existing) ? existing : [];
        var kept = own.RemoveAll(f => string.Equals(f.Role, filter.Role, StringComparison.Ordinal)
            && f.Expires <= filter.Expires && filter.Resources.Contains(f.Resources)).Add(filter);
        var byFramework = _byFramework.SetItem(index, kept);
        var count = Count - own.Length + kept.Length;
        if (Pool is not null && Pool.Equals(filter.Resources))
        {
            // The common case: one more framework declined the same pool.
            return new AgentFilters(byFramework, count, Pool, Set(_anyBits, index), Set(_poolBits, index), Min(NextExpiry, filter.Expires));
        }

        if (Pool is null || Count == 0)
        {
            return new AgentFilters(byFramework, count, filter.Resources, Set(_anyBits, index), Set([], index), Min(NextExpiry, filter.Expires));
        }

        return new AgentFilters(byFramework, count, Pool, Set(_anyBits, index), filter.Resources.Contains(Pool) ? Set(_poolBits, index) : _poolBits, Min(NextExpiry, filter.Expires));
    }

    /// <summary>Drops the framework's filters (all roles, or those named).</summary>
    public AgentFilters Without(int frameworkIndex, IReadOnlySet<string>? roles = null)
    {
        if (!_byFramework.TryGetValue(frameworkIndex, out var own))
        {
            return this;
        }

        var kept = roles is null ? [] : own.RemoveAll(f => roles.Contains(f.Role));
        return Rebuild(kept.IsEmpty ? _byFramework.Remove(frameworkIndex) : _byFramework.SetItem(frameworkIndex, kept));
    }

    public AgentFilters WithoutExpired(DateTimeOffset now)
    {
        if (NextExpiry > now)
        {
            return this;
        }

        var byFramework = _byFramework;
        foreach (var (index, own) in _byFramework)
        {
            var kept = own.RemoveAll(f => f.Expires <= now);
            if (kept.Length != own.Length)
            {
                byFramework = kept.IsEmpty ? byFramework.Remove(index) : byFramework.SetItem(index, kept);
            }
        }

        return Rebuild(byFramework);
    }

    public override string ToString() => $"{Count} filters";

    private AgentFilters Rebuild(ImmutableDictionary<int, ImmutableArray<OfferFilter>> byFramework)
    {
        if (byFramework.IsEmpty)
        {
            return None;
        }

        var words = (byFramework.Keys.Max() >> 6) + 1;
        var any = new ulong[words];
        var inPool = new ulong[words];
        var next = DateTimeOffset.MaxValue;
        var count = 0;
        foreach (var (index, own) in byFramework)
        {
            any[index >> 6] |= 1UL << (index & 63);
            foreach (var filter in own)
            {
                count++;
                next = Min(next, filter.Expires);
                if (Pool is not null && filter.Resources.Contains(Pool))
                {
                    inPool[index >> 6] |= 1UL << (index & 63);
                }
            }
        }

        return new AgentFilters(byFramework, count, Pool, any, inPool, next);
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
