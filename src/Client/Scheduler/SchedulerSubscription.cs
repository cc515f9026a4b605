using Mesos.Orleans.Client.Http;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Client.Scheduler;

/// <summary>One open subscription: the leader it is held with, its <c>Mesos-Stream-Id</c> (calls carry it),
/// the framework's ID, and the event stream after SUBSCRIBED.</summary>
internal sealed class SchedulerSubscription(Uri master, string streamId, FrameworkId frameworkId, TimeSpan heartbeat, EventStreamReader<Event> events) : IDisposable
{
    public Uri Master { get; } = master;

    public string StreamId { get; } = streamId;

    public FrameworkId FrameworkId { get; } = frameworkId;

    public TimeSpan HeartbeatInterval { get; } = heartbeat;

    public EventStreamReader<Event> Events { get; } = events;

    public void Dispose() => Events.Dispose();
}
