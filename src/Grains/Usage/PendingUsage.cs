using Mesos.Orleans.Grains.Core;

namespace Mesos.Orleans.Grains.Usage;

/// <summary>An admitted usage report waiting for the next flush: who sent it on which subscription, the
/// bytes its admission holds, and where its outcome goes (an awaiting request, or the sender's stream).</summary>
public sealed record PendingUsage(UsageReport Report, string? StreamId, long Bytes, TaskCompletionSource<CallResult>? Completion, UsageStreamState? Stream);

/// <summary>One agent's usage stream as the master sees it: set when the master refuses one of its reports,
/// so that the stream ends with that answer and the agent opens a new one.</summary>
public sealed class UsageStreamState
{
    private CallResult? _refusal;

    public CallResult? Refusal
    {
        get => Volatile.Read(ref _refusal);
        set => Volatile.Write(ref _refusal, value);
    }
}
