using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Grains.Storage;
using Orleans.Placement;

namespace Mesos.Orleans.Grains.Maintenance;

/// <summary>The durable maintenance mode of one machine (<see cref="IMachineGrain"/>).</summary>
[PreferLocalPlacement]
public sealed class MachineGrain(
    [PersistentState(MachineGrain.StateName, GrainStorageName.Mesos)] IPersistentState<MachineRecord> record,
    TermFence fence) : RecordGrain<MachineRecord>(record, fence, KeyPrefix), IMachineGrain
{
    public const string StateName = "machine-record";

    private const string KeyPrefix = "machine/";

    public static string KeyOf(string machine) => KeyPrefix + machine;

    public Task SetDown(long term, bool down, DateTimeOffset at) => down
        ? WriteRecordAsync(term, r =>
        {
            if (RecordExists)
            {
                return false;
            }

            r.Machine = RecordKey;
            r.DownSince = at;
            return true;
        })
        : ClearRecordAsync(term);
}
