using Mesos.Orleans.Grains.Agents;
using Mesos.Orleans.Grains.Frameworks;
using Mesos.Orleans.Grains.Maintenance;
using Mesos.Orleans.Grains.Roles;
using Mesos.Orleans.Grains.Storage;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;
using Orleans.Storage;

namespace Mesos.Orleans.Grains.Registry;

/// <summary>The master's registry as grain state: each agent, framework, role and machine keeps its own record
/// in its grain (<see cref="AgentGrain"/>, <see cref="FrameworkGrain"/>, <see cref="RoleGrain"/>,
/// <see cref="MachineGrain"/>), written with ETags and fenced by the master activation's <paramref name="term"/>.
/// A new master reads them all back through the storage's catalog, one query per kind.</summary>
public sealed class GrainRegistry(long term, IGrainFactory grains, IGrainStateCatalog catalog) : IRegistry
{
    public long Term { get; } = term;

    public async Task<RegistrySnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var agents = await catalog.ReadAllAsync<AgentRecord>(AgentGrain.StateName, cancellationToken).ConfigureAwait(false);
        var frameworks = await catalog.ReadAllAsync<FrameworkRecord>(FrameworkGrain.StateName, cancellationToken).ConfigureAwait(false);
        var roles = await catalog.ReadAllAsync<RoleRecord>(RoleGrain.StateName, cancellationToken).ConfigureAwait(false);
        var machines = await catalog.ReadAllAsync<MachineRecord>(MachineGrain.StateName, cancellationToken).ConfigureAwait(false);

        // In the order they were first registered, as a master that never failed over holds them.
        return new RegistrySnapshot(
            [.. agents.Where(a => a.InfoJson is not null)
                .OrderBy(a => a.RegisteredAt).ThenBy(a => a.AgentId, StringComparer.Ordinal)
                .Select(a => new RegisteredAgent(new AgentId(a.AgentId), Decode<AgentInfo>(a.InfoJson!), a.State)
                {
                    Drain = a.DrainJson is null ? null : Decode<DrainConfig>(a.DrainJson),
                })],
            [.. frameworks.OrderBy(f => f.RegisteredAt).ThenBy(f => f.FrameworkId, StringComparer.Ordinal)
                .Select(f => new RegisteredFramework(new FrameworkId(f.FrameworkId), Decode<FrameworkInfo>(f.InfoJson), f.RemovedAt is not null))])
        {
            Roles = [.. roles.OrderBy(r => r.Role, StringComparer.Ordinal)
                .Select(r => new RegisteredRole(r.Role, r.Weight, r.QuotaJson is null ? null : Decode<QuotaConfig>(r.QuotaJson)))],
            DownMachines = [.. machines.Select(m => m.Machine).Order(StringComparer.Ordinal)],
            Reservations = [.. agents.Where(a => a.ReservationsJson is not null)
                .OrderBy(a => a.AgentId, StringComparer.Ordinal)
                .Select(a => new RegisteredReservations(new AgentId(a.AgentId), Decode<List<ReservationRecord>>(a.ReservationsJson!)))],
        };
    }

    public Task AdmitAgentAsync(AgentId id, AgentInfo info, DateTimeOffset at, CancellationToken cancellationToken) =>
        Retried(() => Agent(id).Admit(Term, info, at));

    public Task SetAgentStateAsync(AgentId id, AgentRegistryState state, DrainConfig? drain, DateTimeOffset at, CancellationToken cancellationToken) =>
        Retried(() => Agent(id).SetState(Term, state, drain, at));

    public Task SetReservationsAsync(AgentId agent, IReadOnlyList<ReservationRecord> conversions, DateTimeOffset at, CancellationToken cancellationToken) =>
        Retried(() => Agent(agent).SetReservations(Term, conversions, at));

    public Task AddFrameworkAsync(FrameworkId id, FrameworkInfo info, DateTimeOffset at, CancellationToken cancellationToken) =>
        Retried(() => Framework(id).Add(Term, info, at));

    public Task RemoveFrameworkAsync(FrameworkId id, DateTimeOffset at, CancellationToken cancellationToken) =>
        Retried(() => Framework(id).MarkRemoved(Term, at));

    public Task SetWeightAsync(string role, double weight, DateTimeOffset at, CancellationToken cancellationToken) =>
        Retried(() => Role(role).SetWeight(Term, weight, at));

    public Task SetQuotaAsync(QuotaConfig quota, DateTimeOffset at, CancellationToken cancellationToken) =>
        Retried(() => Role(quota.Role ?? throw new ArgumentException("A quota config needs a role", nameof(quota))).SetQuota(Term, quota, at));

    public Task SetMachineDownAsync(string machine, bool down, DateTimeOffset at, CancellationToken cancellationToken) =>
        Retried(() => grains.GetGrain<IMachineGrain>(MachineGrain.KeyOf(machine)).SetDown(Term, down, at));

    /// <summary>A write refused for its ETag came from a stale activation of the record's grain, which has
    /// deactivated: once more reaches a fresh one, which reads the record before it writes.</summary>
    private static async Task Retried(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (InconsistentStateException)
        {
            await write().ConfigureAwait(false);
        }
    }

    private static T Decode<T>(string json) =>
        MesosJson.Deserialize<T>(json) ?? throw new InvalidDataException($"A stored {typeof(T).Name} is empty");

    private IAgentGrain Agent(AgentId id) => grains.GetGrain<IAgentGrain>(AgentGrain.KeyOf(id));

    private IFrameworkGrain Framework(FrameworkId id) => grains.GetGrain<IFrameworkGrain>(FrameworkGrain.KeyOf(id));

    private IRoleGrain Role(string role) => grains.GetGrain<IRoleGrain>(RoleGrain.KeyOf(role));
}
