using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Entities;

namespace Mesos.Orleans.Grains.Usage;

/// <summary>An admitted usage report waiting for the next flush: who sent it on which subscription, the
/// bytes its admission holds, and where its outcome goes (an awaiting request, or the sender's stream).</summary>
public readonly record struct PendingUsage(UsageReport Report, string? StreamId, long Bytes, TaskCompletionSource<CallResult>? Completion, UsageStreamState? Stream);

/// <summary>One agent's usage stream as the master sees it: the master's verdict on its reports, the agent
/// it last reported for, and a used report to fill with its next record.</summary>
public sealed class UsageStreamState
{
    private CallResult? _refusal;
    private UsageReport? _spare;

    /// <summary>Set when the master refuses one of the stream's reports, so that the stream ends with that
    /// answer and the agent opens a new one.</summary>
    public CallResult? Refusal
    {
        get => Volatile.Read(ref _refusal);
        set => Volatile.Write(ref _refusal, value);
    }

    /// <summary>The agent the stream's last applied report was for: the master's loop checks the next one's
    /// agent ID against it in place. Read and written on the master's loop only.</summary>
    public AgentEntity? Agent { get; set; }

    /// <summary>A report to fill with the next record (the reader's side), or a new one.</summary>
    public UsageReport TakeReport() => Interlocked.Exchange(ref _spare, null) ?? new UsageReport();

    /// <summary>Gives back a report nobody reads any more (the master's side, or the reader's after a record
    /// it could not read), to be filled again; one is kept, any other is left to the collector.</summary>
    public void Recycle(UsageReport report) => Interlocked.CompareExchange(ref _spare, report, null);
}
