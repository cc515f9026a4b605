using Orleans.Storage;

namespace Mesos.Orleans.Grains.Registry;

/// <summary>A grain that keeps one of the master's durable records (an agent, a framework, a role, a machine).
/// A write happens in one turn: the writer's term is checked against the latest claimed, then the record is
/// stored with its ETag. A write refused for its ETag means another activation of this grain wrote since this
/// one read (a duplicate during a membership change): this activation is stale and goes, and the caller's
/// retry reaches one that reads the record afresh.</summary>
public abstract class RecordGrain<TRecord>(IPersistentState<TRecord> record, TermFence fence) : Grain
{
    protected TRecord Record => record.State;

    protected bool RecordExists => record.RecordExists;

    /// <summary>Applies <paramref name="change"/> and stores the record, unless the change says there is nothing
    /// to store.</summary>
    protected async Task WriteRecordAsync(long term, Func<TRecord, bool> change)
    {
        await fence.EnsureCurrentAsync(term).ConfigureAwait(true);
        if (change(record.State))
        {
            await StoreAsync(record.WriteStateAsync).ConfigureAwait(true);
        }
    }

    /// <summary>Removes the record, if there is one.</summary>
    protected async Task ClearRecordAsync(long term)
    {
        await fence.EnsureCurrentAsync(term).ConfigureAwait(true);
        if (record.RecordExists)
        {
            await StoreAsync(record.ClearStateAsync).ConfigureAwait(true);
        }
    }

    private async Task StoreAsync(Func<Task> store)
    {
        try
        {
            await store().ConfigureAwait(true);
        }
        catch (InconsistentStateException)
        {
            DeactivateOnIdle();
            throw;
        }
    }
}
