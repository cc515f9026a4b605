using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Client;

// The kinds of SchedulerEvent, one per mesos.v1.scheduler.Event type, plus Disconnected, which the client
// reports itself. They are kept together because a consumer's switch reads them as one list.

/// <summary>The master accepted the subscription (SUBSCRIBED).</summary>
/// <param name="FrameworkId">The framework's ID, the same after every resubscription.</param>
/// <param name="Master">The leading master that accepted it.</param>
/// <param name="HeartbeatInterval">How often the master sends a heartbeat.</param>
/// <param name="IsResubscription">True after a disconnection: the scheduler subscribed again.</param>
public sealed record Subscribed(FrameworkId FrameworkId, Uri Master, TimeSpan HeartbeatInterval, bool IsResubscription) : SchedulerEvent;

/// <summary>Resources offered to the framework (OFFERS): accept, decline, or let them be rescinded.</summary>
/// <param name="Offers">The offers, each of one agent.</param>
public sealed record OffersReceived(IReadOnlyList<Offer> Offers) : SchedulerEvent;

/// <summary>An offer is no longer valid (RESCIND): calls using it will fail.</summary>
/// <param name="OfferId">The offer withdrawn.</param>
public sealed record OfferRescinded(OfferId OfferId) : SchedulerEvent;

/// <summary>A task's status changed, or a reconciliation answered (UPDATE).</summary>
/// <param name="Status">The status; one with a uuid needs an acknowledgement.</param>
public sealed record TaskStatusUpdated(TaskStatus Status) : SchedulerEvent;

/// <summary>An executor sent the framework a message (MESSAGE).</summary>
/// <param name="AgentId">The executor's agent.</param>
/// <param name="ExecutorId">The executor.</param>
/// <param name="Data">The message's bytes.</param>
public sealed record FrameworkMessageReceived(AgentId? AgentId, ExecutorId? ExecutorId, ReadOnlyMemory<byte> Data) : SchedulerEvent;

/// <summary>An agent was removed or an executor ended (FAILURE).</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="ExecutorId">The executor, when an executor ended.</param>
/// <param name="ExitStatus">The executor's exit status, when known.</param>
public sealed record FailureReported(AgentId? AgentId, ExecutorId? ExecutorId, int? ExitStatus) : SchedulerEvent;

/// <summary>The master ended the subscription with an error (ERROR), e.g. the framework was removed or
/// another scheduler took it over; the enumeration ends after it.</summary>
/// <param name="Message">The master's message.</param>
public sealed record ErrorReceived(string Message) : SchedulerEvent;

/// <summary>The master is alive (HEARTBEAT).</summary>
public sealed record HeartbeatReceived : SchedulerEvent;

/// <summary>An offer operation's state changed (UPDATE_OPERATION_STATUS).</summary>
/// <param name="Status">The operation's status.</param>
public sealed record OperationStatusUpdated(OperationStatus Status) : SchedulerEvent;

/// <summary>An event of a kind this client does not type (inverse offers); see <see cref="SchedulerEvent.Raw"/>.</summary>
/// <param name="Type">The event's type.</param>
public sealed record OtherEvent(EventType? Type) : SchedulerEvent;

/// <summary>The subscription was lost or could not be made; the scheduler subscribes again after
/// <paramref name="RetryIn"/>. Calls fail with <see cref="MesosConnectionException"/> meanwhile.</summary>
/// <param name="Reason">Why the connection ended or failed.</param>
/// <param name="RetryIn">The backoff before the next attempt.</param>
public sealed record Disconnected(string Reason, TimeSpan RetryIn) : SchedulerEvent;
