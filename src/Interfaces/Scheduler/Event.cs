using Mesos.Orleans.Interfaces.V1;
using Orleans;

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
[GenerateSerializer]
public sealed class Event
{
    [Id(0)]
    public EventType? Type { get; set; }

    [Id(1)]
    public SubscribedEvent? Subscribed { get; set; }

    [Id(2)]
    public OffersEvent? Offers { get; set; }

    [Id(3)]
    public RescindEvent? Rescind { get; set; }

    [Id(4)]
    public UpdateEvent? Update { get; set; }

    [Id(5)]
    public FailureEvent? Failure { get; set; }

    [Id(6)]
    public ErrorEvent? Error { get; set; }

    [Id(7)]
    public MessageEvent? Message { get; set; }

    [Id(8)]
    public UpdateOperationStatusEvent? UpdateOperationStatus { get; set; }

    public static Event Heartbeat() => new() { Type = EventType.HEARTBEAT };

    public static Event ForError(string message) =>
        new() { Type = EventType.ERROR, Error = new ErrorEvent { Message = message } };
}

[GenerateSerializer]
public sealed class SubscribedEvent
{
    [Id(0)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(1)]
    public double? HeartbeatIntervalSeconds { get; set; }

    [Id(2)]
    public MasterInfo? MasterInfo { get; set; }
}

[GenerateSerializer]
public sealed class OffersEvent
{
    [Id(0)]
    public List<Offer>? Offers { get; set; }
}

[GenerateSerializer]
public sealed class RescindEvent
{
    [Id(0)]
    public OfferId? OfferId { get; set; }
}

[GenerateSerializer]
public sealed class UpdateEvent
{
    [Id(0)]
    public TaskStatus? Status { get; set; }
}

[GenerateSerializer]
public sealed class FailureEvent
{
    [Id(0)]
    public AgentId? AgentId { get; set; }

    [Id(1)]
    public ExecutorId? ExecutorId { get; set; }

    [Id(2)]
    public int? Status { get; set; }
}

[GenerateSerializer]
public sealed class MessageEvent
{
    [Id(0)]
    public AgentId? AgentId { get; set; }

    [Id(1)]
    public ExecutorId? ExecutorId { get; set; }

    [Id(2)]
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

[GenerateSerializer]
public sealed class OperationStatus
{
    [Id(0)]
    public OperationId? OperationId { get; set; }

    [Id(1)]
    public OperationState? State { get; set; }

    [Id(2)]
    public string? Message { get; set; }

    [Id(3)]
    public AgentId? AgentId { get; set; }
}

[GenerateSerializer]
public sealed class UpdateOperationStatusEvent
{
    [Id(0)]
    public OperationStatus? Status { get; set; }
}

[GenerateSerializer]
public sealed class ErrorEvent
{
    [Id(0)]
    public string? Message { get; set; }
}
