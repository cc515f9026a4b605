using Mesos.Orleans.Grains.Streams;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

/// <summary>The outcome of a SUBSCRIBE: either an HTTP error before the stream starts, or a stream whose
/// first record is SUBSCRIBED (or ERROR, for checks Mesos makes after answering 200).</summary>
public sealed record FrameworkSubscription(CallResult? Error, EventStream? Stream, FrameworkId? FrameworkId)
{
    public static FrameworkSubscription Rejected(CallResult error) => new(error, null, null);
}
