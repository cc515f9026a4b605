using Mesos.Orleans.Interfaces.Scheduler;

namespace Mesos.Orleans.Interfaces.Client;

/// <summary>One event of a framework's subscription, typed by what happened; match on the derived
/// records (<see cref="OffersReceived"/>, <see cref="TaskStatusUpdated"/>, …).</summary>
public abstract record SchedulerEvent
{
    /// <summary>The event as the master sent it; null for events the client itself reports
    /// (<see cref="Disconnected"/>).</summary>
    public Event? Raw { get; init; }
}
