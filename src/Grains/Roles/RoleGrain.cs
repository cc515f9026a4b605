using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Grains.Storage;
using Orleans.Placement;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;

namespace Mesos.Orleans.Grains.Roles;

/// <summary>The durable weight and quota of one role (<see cref="IRoleGrain"/>).</summary>
[PreferLocalPlacement]
public sealed class RoleGrain(
    [PersistentState(RoleGrain.StateName, GrainStorageName.Mesos)] IPersistentState<RoleRecord> record,
    TermFence fence) : RecordGrain<RoleRecord>(record, fence, KeyPrefix), IRoleGrain
{
    public const string StateName = "role-record";

    private const string KeyPrefix = "role/";

    public static string KeyOf(string role) => KeyPrefix + role;

    public Task SetWeight(long term, double weight, DateTimeOffset at) => WriteRecordAsync(term, r =>
    {
        r.Weight = weight;
        return Touch(r, at);
    });

    public Task SetQuota(long term, QuotaConfig quota, DateTimeOffset at) => WriteRecordAsync(term, r =>
    {
        var empty = (quota.Guarantees?.Count ?? 0) == 0 && (quota.Limits?.Count ?? 0) == 0;
        r.QuotaJson = empty ? null : MesosJson.Serialize(quota);
        return Touch(r, at);
    });

    private bool Touch(RoleRecord r, DateTimeOffset at)
    {
        r.Role = RecordKey;
        r.UpdatedAt = at;
        return true;
    }
}
