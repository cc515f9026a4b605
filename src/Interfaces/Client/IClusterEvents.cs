using Mesos.Orleans.Interfaces.Operator;

namespace Mesos.Orleans.Interfaces.Client;

/// <summary>The master's operator event stream (operator call <c>SUBSCRIBE</c>).</summary>
public interface IClusterEvents
{
    /// <summary>The cluster's events as they happen: first SUBSCRIBED with the whole state, then tasks,
    /// agents and frameworks added, updated and removed, and heartbeats. When the connection is lost the
    /// stream reconnects to the leading master and starts again with a new SUBSCRIBED, so a consumer
    /// rebuilds its view from it; the enumeration ends only when cancelled.</summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    IAsyncEnumerable<OperatorEvent> SubscribeAsync(CancellationToken cancellationToken = default);
}
