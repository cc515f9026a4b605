using Orleans.Storage;

namespace Mesos.Orleans.Grains.Registry;

/// <summary>A grain that keeps one of the master's durable records (an agent, a framework, a role, a machine).
/// A write is checked twice before it is stored with its ETag: the writer's term against the latest claimed
/// (<see cref="TermFence"/>), and against the term of the record's last writer. A write that fails leaves this
/// activation's copy of the record behind the store (changed, not stored; or refused for its ETag because a
/// duplicate activation wrote since this one read): the activation goes, and the caller's retry reaches one that
/// reads the record afresh.
/// Record grains are placed on the silo that calls them, the master's: a new record's first write needs no other
/// silo, not even one that just died and that placement may still count among the living.</summary>
public abstract class RecordGrain<TRecord>(IPersistentState<TRecord> record, TermFence fence, string keyPrefix) : Grain
    where TRecord : ITermedRecord
{
    protected bool RecordExists => record.RecordExists;

    /// <summary>What the record is of (an agent ID, a role, …): the grain key without its kind prefix. Keys carry
    /// the prefix because Orleans' ADO.NET storage reads a key made of digits as a number.</summary>
    protected string RecordKey => this.GetPrimaryKeyString()[keyPrefix.Length..];

    /// <summary>Applies <paramref name="change"/> and stores the record in <paramref name="term"/>, unless the
    /// change says there is nothing to store.</summary>
    protected async Task WriteRecordAsync(long term, Func<TRecord, bool> change)
    {
        await EnsureCurrentAsync(term).ConfigureAwait(true);
        if (change(record.State))
        {
            record.State.Term = term;
            await StoreAsync(record.WriteStateAsync).ConfigureAwait(true);
        }
    }

    /// <summary>Removes the record, if there is one.</summary>
    protected async Task ClearRecordAsync(long term)
    {
        await EnsureCurrentAsync(term).ConfigureAwait(true);
        if (record.RecordExists)
        {
            await StoreAsync(record.ClearStateAsync).ConfigureAwait(true);
        }
    }

    /// <summary>Refuses <paramref name="term"/> when a newer one wrote this record or has been claimed.</summary>
    protected async Task EnsureCurrentAsync(long term)
    {
        if (record.RecordExists && record.State.Term > term)
        {
            throw new StaleTermException(term, $"Term {term} is older than term {record.State.Term}, which wrote this record");
        }

        await fence.EnsureCurrentAsync(term).ConfigureAwait(true);
    }

    /// <summary>Runs a storage write of this grain; if it fails, the activation goes (see the class summary).</summary>
    protected async Task StoreAsync(Func<Task> store)
    {
        try
        {
            await store().ConfigureAwait(true);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }
}
