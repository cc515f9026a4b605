using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Registry;

/// <summary>The master's durable state, as the master core sees it. Writes complete before the master acts on
/// them (an agent is admitted, a framework registered, a weight set only once its record is stored). The
/// silos' registry is its grains' records (<see cref="GrainRegistry"/>): every write names the master
/// activation's term and throws <see cref="StaleTermException"/> once a newer activation claimed one.</summary>
public interface IRegistry
{
    Task<RegistrySnapshot> LoadAsync(CancellationToken cancellationToken);

    Task AdmitAgentAsync(AgentId id, AgentInfo info, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records an agent's lifecycle state; <paramref name="drain"/> only with <see cref="AgentRegistryState.Draining"/>.</summary>
    Task SetAgentStateAsync(AgentId id, AgentRegistryState state, DrainConfig? drain, DateTimeOffset at, CancellationToken cancellationToken);

    Task AddFrameworkAsync(FrameworkId id, FrameworkInfo info, DateTimeOffset at, CancellationToken cancellationToken);

    Task RemoveFrameworkAsync(FrameworkId id, DateTimeOffset at, CancellationToken cancellationToken);

    Task SetWeightAsync(string role, double weight, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Stores a role's quota; a config without guarantees and limits removes it.</summary>
    Task SetQuotaAsync(QuotaConfig quota, DateTimeOffset at, CancellationToken cancellationToken);

    Task SetMachineDownAsync(string machine, bool down, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Replaces an agent's dynamic reservations (empty: none).</summary>
    Task SetReservationsAsync(AgentId agent, IReadOnlyList<ReservationRecord> conversions, DateTimeOffset at, CancellationToken cancellationToken);
}
