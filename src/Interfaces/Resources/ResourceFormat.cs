namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>The three shapes in which Mesos puts a Resource on the wire (see the HTTP API brief §3.5).
/// Input accepts all of them; output must pick the one the receiver understands.</summary>
public enum ResourceFormat
{
    /// <summary>For frameworks without RESERVATION_REFINEMENT: <c>role</c> always set ("*" when
    /// unreserved), <c>reservation</c> for a dynamic reservation, no <c>reservations</c>. A refined
    /// (multi-level) reservation cannot be expressed.</summary>
    PreRefinement,

    /// <summary>The modern form, for RESERVATION_REFINEMENT frameworks and agents: only the
    /// <c>reservations</c> stack, no <c>role</c> or <c>reservation</c>.</summary>
    PostRefinement,

    /// <summary>The operator API and /state-style endpoints: the pre-refinement fields and the
    /// <c>reservations</c> stack together, so old and new tools can both read them.</summary>
    Endpoint,
}
