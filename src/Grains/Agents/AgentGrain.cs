using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Grains.Storage;
using Orleans.Placement;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Agents;

/// <summary>The durable record of one agent (<see cref="IAgentGrain"/>).</summary>
[PreferLocalPlacement]
public sealed class AgentGrain(
    [PersistentState(AgentGrain.StateName, GrainStorageName.Mesos)] IPersistentState<AgentRecord> record,
    TermFence fence) : RecordGrain<AgentRecord>(record, fence, KeyPrefix), IAgentGrain
{
    /// <summary>Its state name, of this grain class alone (Orleans' ADO.NET storage does not tell grain classes
    /// apart by anything else).</summary>
    public const string StateName = "agent-record";

    private const string KeyPrefix = "agent/";

    public static string KeyOf(AgentId id) => KeyPrefix + id.Value;

    public Task Admit(long term, AgentInfo info, DateTimeOffset at) => WriteRecordAsync(term, r =>
    {
        if (r.InfoJson is null)
        {
            r.RegisteredAt = at;
        }

        r.AgentId = RecordKey;
        r.InfoJson = MesosJson.Serialize(info);
        if (r.State == AgentRegistryState.Unreachable.Name())
        {
            r.State = AgentRegistryState.Active.Name();
        }

        return Touch(r, at);
    });

    public Task SetState(long term, AgentRegistryState state, DrainConfig? drain, DateTimeOffset at) => WriteRecordAsync(term, r =>
    {
        if (r.InfoJson is null)
        {
            return false;
        }

        r.State = state.Name();
        r.DrainJson = drain is null ? null : MesosJson.Serialize(drain);
        return Touch(r, at);
    });

    public Task SetReservations(long term, IReadOnlyList<ReservationRecord> conversions, DateTimeOffset at) => WriteRecordAsync(term, r =>
    {
        if (conversions.Count == 0 && r.ReservationsJson is null)
        {
            return false;
        }

        r.AgentId = RecordKey;
        r.ReservationsJson = conversions.Count == 0 ? null : MesosJson.Serialize(conversions);
        return Touch(r, at);
    });

    private static bool Touch(AgentRecord r, DateTimeOffset at)
    {
        r.UpdatedAt = at;
        return true;
    }
}
