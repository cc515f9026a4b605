using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Agents;

/// <summary>An agent's grain, keyed by <see cref="AgentGrain.KeyOf"/>: the durable record of the agent (its
/// info, lifecycle state, drain and dynamic reservations). Every write names the master's term and is refused
/// with <see cref="StaleTermException"/> once a newer master activation exists.</summary>
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>Admits the agent, or updates its info; an unreachable agent becomes active again, any other
    /// state (deactivated, draining) is kept.</summary>
    Task Admit(long term, AgentInfo info, DateTimeOffset at);

    /// <summary>Records its lifecycle state; <paramref name="drain"/> only with <see cref="AgentRegistryState.Draining"/>.
    /// An agent never admitted is left unrecorded.</summary>
    Task SetState(long term, AgentRegistryState state, DrainConfig? drain, DateTimeOffset at);

    /// <summary>Replaces its dynamic reservations (empty: none).</summary>
    Task SetReservations(long term, IReadOnlyList<ReservationRecord> conversions, DateTimeOffset at);
}
