using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Grains.Storage;
using Orleans.Placement;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.Grains.Frameworks;

/// <summary>A framework's durable record, and its failover deadline, durable and with a reminder that tells the
/// master when it has passed. The reminder outlives silos: a deadline that passed while no silo held it fires as
/// soon as one takes it over, and fires again each period until the master has settled it.</summary>
[PreferLocalPlacement]
public sealed partial class FrameworkGrain(
    [PersistentState(FrameworkGrain.StateName, GrainStorageName.Mesos)] IPersistentState<FrameworkRecord> record,
    [PersistentState("framework-failover", GrainStorageName.Mesos)] IPersistentState<FailoverState> state,
    TermFence fence,
    TimeProvider time,
    ILogger<FrameworkGrain> logger) : RecordGrain<FrameworkRecord>(record, fence, KeyPrefix), IFrameworkGrain, IRemindable
{
    /// <summary>The state name of its record, of this grain class alone.</summary>
    public const string StateName = "framework-record";

    private const string Reminder = "failover";
    private const string KeyPrefix = "framework/";

    /// <summary>Orleans' shortest reminder period: how often a passed deadline is retried while the master
    /// cannot settle it.</summary>
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);

    /// <summary>Deadlines years away (Mesos allows them) are reached in steps no longer than this, each a
    /// reminder that finds the deadline not reached yet and sets the next.</summary>
    private static readonly TimeSpan LongestStep = TimeSpan.FromDays(30);

    public static string KeyOf(FrameworkId id) => KeyPrefix + id.Value;

    public Task Add(long term, FrameworkInfo info, DateTimeOffset at) => WriteRecordAsync(term, r =>
    {
        if (!RecordExists)
        {
            r.FrameworkId = IdOf().Value;
            r.RegisteredAt = at;
        }

        r.InfoJson = MesosJson.Serialize(info);
        return true;
    });

    public Task MarkRemoved(long term, DateTimeOffset at) => WriteRecordAsync(term, r =>
    {
        if (!RecordExists || r.RemovedAt is not null)
        {
            return false;
        }

        r.RemovedAt = at;
        return true;
    });

    public async Task StartFailover(long term, DateTimeOffset deadline)
    {
        await EnsureCurrentAsync(term).ConfigureAwait(true);
        await SetAsync(deadline).ConfigureAwait(true);
    }

    public async Task ExpectAfterRecovery(long term, DateTimeOffset grace, DateTimeOffset deadline)
    {
        await EnsureCurrentAsync(term).ConfigureAwait(true);
        await SetAsync(state.State.Deadline is { } kept ? (kept > grace ? kept : grace) : deadline).ConfigureAwait(true);
    }

    public async Task CancelFailover(long term)
    {
        await EnsureCurrentAsync(term).ConfigureAwait(true);
        await ClearFailoverAsync().ConfigureAwait(true);
    }

    private async Task ClearFailoverAsync()
    {
        if (state.State.Deadline is null && !state.RecordExists)
        {
            return;
        }

        await WriteAsync(null).ConfigureAwait(true);
        if (await this.GetReminder(Reminder).ConfigureAwait(true) is { } reminder)
        {
            await this.UnregisterReminder(reminder).ConfigureAwait(true);
        }
    }

    public Task<DateTimeOffset?> GetFailoverDeadline() => Task.FromResult(state.State.Deadline);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Deadline is not { } deadline)
        {
            await ClearFailoverAsync().ConfigureAwait(true);
            return;
        }

        if (time.GetUtcNow() < deadline)
        {
            await ScheduleAsync(deadline).ConfigureAwait(true);
            return;
        }

        var id = IdOf();
        if (await GrainFactory.GetGrain<IMasterGrain>(MasterGrain.Key).FailoverDeadlinePassed(id).ConfigureAwait(true))
        {
            LogSettled(logger, id.Value, deadline);
            await ClearFailoverAsync().ConfigureAwait(true);
        }
    }

    private FrameworkId IdOf() => new(RecordKey);

    private async Task SetAsync(DateTimeOffset deadline)
    {
        await WriteAsync(deadline).ConfigureAwait(true);
        await ScheduleAsync(deadline).ConfigureAwait(true);
    }

    private async Task ScheduleAsync(DateTimeOffset deadline)
    {
        var due = deadline - time.GetUtcNow();
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due > LongestStep ? LongestStep : due;
        await this.RegisterOrUpdateReminder(Reminder, due, RetryPeriod).ConfigureAwait(true);
    }

    private async Task WriteAsync(DateTimeOffset? deadline)
    {
        state.State.Deadline = deadline;
        await StoreAsync(state.WriteStateAsync).ConfigureAwait(true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Failover deadline {Deadline} of framework {Id} settled by the master")]
    private static partial void LogSettled(ILogger logger, string id, DateTimeOffset deadline);
}
