using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Scheduler;

namespace Mesos.Orleans.Client.Scheduler;

/// <summary>The typed <see cref="SchedulerEvent"/> for each wire event after SUBSCRIBED.</summary>
internal static class SchedulerEventMapper
{
    public static SchedulerEvent Map(Event @event) => (@event.Type switch
    {
        EventType.OFFERS => new OffersReceived(@event.Offers?.Offers ?? []),
        EventType.RESCIND when @event.Rescind?.OfferId is { } offerId => new OfferRescinded(offerId),
        EventType.UPDATE when @event.Update?.Status is { } status => new TaskStatusUpdated(status),
        EventType.MESSAGE => new FrameworkMessageReceived(@event.Message?.AgentId, @event.Message?.ExecutorId, @event.Message?.Data ?? []),
        EventType.FAILURE => new FailureReported(@event.Failure?.AgentId, @event.Failure?.ExecutorId, @event.Failure?.Status),
        EventType.ERROR => new ErrorReceived(@event.Error?.Message ?? string.Empty),
        EventType.HEARTBEAT => new HeartbeatReceived(),
        EventType.UPDATE_OPERATION_STATUS when @event.UpdateOperationStatus?.Status is { } status => new OperationStatusUpdated(status),
        _ => (SchedulerEvent)new OtherEvent(@event.Type),
    }) with { Raw = @event };
}
