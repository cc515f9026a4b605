using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Scheduler;

public enum EventType
{
    UNKNOWN = 0,
    SUBSCRIBED = 1,
    OFFERS = 2,
    RESCIND = 3,
    UPDATE = 4,
    MESSAGE = 5,
    FAILURE = 6,
    ERROR = 7,
    HEARTBEAT = 8,
    INVERSE_OFFERS = 9,
    RESCIND_INVERSE_OFFER = 10,
    UPDATE_OPERATION_STATUS = 11,
}

/// <summary>mesos.v1.scheduler.Event: one record of the subscription stream.</summary>
public sealed class Event
{
    public EventType? Type { get; set; }

    public SubscribedEvent? Subscribed { get; set; }

    public OffersEvent? Offers { get; set; }

    public RescindEvent? Rescind { get; set; }

    public UpdateEvent? Update { get; set; }

    public FailureEvent? Failure { get; set; }

    public ErrorEvent? Error { get; set; }

    public MessageEvent? Message { get; set; }

    public UpdateOperationStatusEvent? UpdateOperationStatus { get; set; }

    public static Event Heartbeat() => new() { Type = EventType.HEARTBEAT };

    public static Event ForError(string message) =>
        new() { Type = EventType.ERROR, Error = new ErrorEvent { Message = message } };
}

public sealed class SubscribedEvent
{
    public FrameworkId? FrameworkId { get; set; }

    public double? HeartbeatIntervalSeconds { get; set; }

    public MasterInfo? MasterInfo { get; set; }
}

public sealed class OffersEvent
{
    public List<Offer>? Offers { get; set; }
}

public sealed class RescindEvent
{
    public OfferId? OfferId { get; set; }
}

public sealed class UpdateEvent
{
    public TaskStatus? Status { get; set; }
}

public sealed class FailureEvent
{
    public AgentId? AgentId { get; set; }

    public ExecutorId? ExecutorId { get; set; }

    public int? Status { get; set; }
}

public sealed class MessageEvent
{
    public AgentId? AgentId { get; set; }

    public ExecutorId? ExecutorId { get; set; }

    public byte[]? Data { get; set; }
}

public enum OperationState
{
    OPERATION_UNSUPPORTED = 0,
    OPERATION_PENDING = 1,
    OPERATION_FINISHED = 2,
    OPERATION_FAILED = 3,
    OPERATION_ERROR = 4,
    OPERATION_DROPPED = 5,
    OPERATION_UNREACHABLE = 6,
    OPERATION_GONE_BY_OPERATOR = 7,
    OPERATION_RECOVERING = 8,
    OPERATION_UNKNOWN = 9,
}

public sealed class OperationStatus
{
    public OperationId? OperationId { get; set; }

    public OperationState? State { get; set; }

    public string? Message { get; set; }

    public AgentId? AgentId { get; set; }
}

public sealed class UpdateOperationStatusEvent
{
    public OperationStatus? Status { get; set; }
}

public sealed class ErrorEvent
{
    public string? Message { get; set; }
}
