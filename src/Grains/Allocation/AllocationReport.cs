using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Allocation;

/// <summary>What the last allocation run did and, for every role and framework that got nothing, why.
/// Recorded as counters during the run, so it costs next to nothing.</summary>
public sealed record AllocationReport(
    DateTimeOffset At,
    int Offers,
    int EligibleAgents,
    IReadOnlyDictionary<string, RoleOutcome> Roles,
    IReadOnlyDictionary<FrameworkId, FrameworkOutcome> Frameworks)
{
    public static AllocationReport Empty { get; } = new(DateTimeOffset.MinValue, 0, 0, new Dictionary<string, RoleOutcome>(), new Dictionary<FrameworkId, FrameworkOutcome>());
}

/// <summary>A role's outcome in one run: offers made to its frameworks and, when none, the reason.</summary>
public sealed record RoleOutcome(string Role, int Offers, NoOfferReason Reason, string Explanation);

/// <summary>A framework's outcome in one run: offers it got and, when none, the reason.</summary>
public sealed record FrameworkOutcome(FrameworkId FrameworkId, int Offers, NoOfferReason Reason, string Explanation);
