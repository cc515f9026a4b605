namespace Mesos.Orleans.Grains.Allocation;

/// <summary>Why a role or framework received nothing in an allocation run, from what the run recorded.</summary>
public enum NoOfferReason
{
    /// <summary>It did receive offers.</summary>
    None = 0,

    /// <summary>No agent was eligible: none registered, or all inactive, draining or in maintenance.</summary>
    NoAgents,

    /// <summary>The framework is not connected (or the role has no connected framework).</summary>
    Inactive,

    /// <summary>The framework suppressed offers for the role.</summary>
    Suppressed,

    /// <summary>Every agent it could have had was refused by a filter from an earlier DECLINE.</summary>
    Filtered,

    /// <summary>The role (or an ancestor) reached its quota limit.</summary>
    QuotaLimitReached,

    /// <summary>No agent had resources the role may use (unreserved, or reserved to it or an ancestor).</summary>
    NoMatchingResources,

    /// <summary>Resources went to roles or frameworks with a smaller dominant share first.</summary>
    LargerShareThanOthers,

    /// <summary>What was left would have broken the headroom held back for other roles' quota guarantees.</summary>
    HeldForQuotaHeadroom,
}
