using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Registry;

/// <summary>Mesos's <c>--registry=in_memory</c>: nothing survives a restart. For tests and throwaway clusters.</summary>
public sealed class InMemoryRegistry : IRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<AgentId, RegisteredAgent> _agents = [];
    private readonly Dictionary<FrameworkId, RegisteredFramework> _frameworks = [];
    private readonly SortedDictionary<string, RegisteredRole> _roles = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _down = new(StringComparer.Ordinal);
    private readonly Dictionary<AgentId, RegisteredReservations> _reservations = [];

    public Task<RegistrySnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(new RegistrySnapshot([.. _agents.Values], [.. _frameworks.Values])
            {
                Roles = [.. _roles.Values],
                DownMachines = [.. _down],
                Reservations = [.. _reservations.Values],
            });
        }
    }

    public Task AdmitAgentAsync(AgentId id, AgentInfo info, DateTimeOffset at, CancellationToken cancellationToken) => Write(() =>
        _agents[id] = _agents.TryGetValue(id, out var known) && known.State != "unreachable"
            ? known with { Info = info }
            : new RegisteredAgent(id, info, "active"));

    public Task SetAgentStateAsync(AgentId id, AgentRegistryState state, DrainConfig? drain, DateTimeOffset at, CancellationToken cancellationToken) => Write(() =>
    {
        if (_agents.TryGetValue(id, out var known))
        {
            _agents[id] = known with { State = state.Name(), Drain = drain };
        }
    });

    public Task AddFrameworkAsync(FrameworkId id, FrameworkInfo info, DateTimeOffset at, CancellationToken cancellationToken) =>
        Write(() => _frameworks[id] = new RegisteredFramework(id, info, Removed: _frameworks.TryGetValue(id, out var known) && known.Removed));

    public Task RemoveFrameworkAsync(FrameworkId id, DateTimeOffset at, CancellationToken cancellationToken) => Write(() =>
    {
        if (_frameworks.TryGetValue(id, out var framework))
        {
            _frameworks[id] = framework with { Removed = true };
        }
    });

    public Task SetWeightAsync(string role, double weight, DateTimeOffset at, CancellationToken cancellationToken) =>
        Write(() => _roles[role] = (_roles.GetValueOrDefault(role) ?? new RegisteredRole(role, null, null)) with { Weight = weight });

    public Task SetQuotaAsync(QuotaConfig quota, DateTimeOffset at, CancellationToken cancellationToken) => Write(() =>
    {
        var role = quota.Role!;
        var empty = (quota.Guarantees?.Count ?? 0) == 0 && (quota.Limits?.Count ?? 0) == 0;
        _roles[role] = (_roles.GetValueOrDefault(role) ?? new RegisteredRole(role, null, null)) with { Quota = empty ? null : quota };
    });

    public Task SetMachineDownAsync(string machine, bool down, DateTimeOffset at, CancellationToken cancellationToken) =>
        Write(() =>
        {
            if (down)
            {
                _down.Add(machine);
            }
            else
            {
                _down.Remove(machine);
            }
        });

    public Task SetReservationsAsync(AgentId agent, IReadOnlyList<ReservationRecord> conversions, DateTimeOffset at, CancellationToken cancellationToken) =>
        Write(() =>
        {
            if (conversions.Count == 0)
            {
                _reservations.Remove(agent);
            }
            else
            {
                _reservations[agent] = new RegisteredReservations(agent, [.. conversions]);
            }
        });

    private Task Write(Action write)
    {
        lock (_lock)
        {
            write();
        }

        return Task.CompletedTask;
    }
}
