using Mesos.Orleans.Grains.Streams;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

/// <summary>The outcome of an agent's SUBSCRIBE: an HTTP error, or its event stream.</summary>
public sealed record AgentSubscription(CallResult? Error, EventStream? Stream, AgentId? AgentId)
{
    public static AgentSubscription Rejected(CallResult error) => new(error, null, null);
}
