using Mesos.Orleans.Grains.Allocation;
using Mesos.Orleans.Interfaces.Operator;

namespace Mesos.Orleans.Grains.Master;

/// <summary>GET_ALLOCATION_REASONS: the allocator's last report, optionally narrowed to one role or framework.</summary>
public static class AllocationReasons
{
    public static GetAllocationReasons From(AllocationReport report, AllocationReasonsCall? filter) => new()
    {
        RunTime = report.At == DateTimeOffset.MinValue ? null : report.At.ToUnixTimeMilliseconds() / 1000.0,
        Roles = [.. report.Roles.Values
            .Where(r => filter?.Role is null || r.Role == filter.Role)
            .Where(_ => filter?.FrameworkId is null)
            .OrderBy(r => r.Role, StringComparer.Ordinal)
            .Select(r => new AllocationReason { Role = r.Role, Offers = r.Offers, Reason = Name(r.Reason), Explanation = r.Explanation })],
        Frameworks = [.. report.Frameworks.Values
            .Where(f => filter?.FrameworkId is null || f.FrameworkId == filter.FrameworkId)
            .Where(_ => filter?.Role is null)
            .OrderBy(f => f.FrameworkId.Value, StringComparer.Ordinal)
            .Select(f => new AllocationReason { FrameworkId = f.FrameworkId, Offers = f.Offers, Reason = Name(f.Reason), Explanation = f.Explanation })],
    };

    /// <summary>SCREAMING_SNAKE, as every other enum on the Mesos wire.</summary>
    private static string Name(NoOfferReason reason) => reason switch
    {
        NoOfferReason.None => "NONE",
        NoOfferReason.NoAgents => "NO_AGENTS",
        NoOfferReason.Inactive => "INACTIVE",
        NoOfferReason.Suppressed => "SUPPRESSED",
        NoOfferReason.Filtered => "FILTERED",
        NoOfferReason.QuotaLimitReached => "QUOTA_LIMIT_REACHED",
        NoOfferReason.NoMatchingResources => "NO_MATCHING_RESOURCES",
        NoOfferReason.LargerShareThanOthers => "LARGER_SHARE_THAN_OTHERS",
        NoOfferReason.HeldForQuotaHeadroom => "HELD_FOR_QUOTA_HEADROOM",
        _ => reason.ToString(),
    };
}
