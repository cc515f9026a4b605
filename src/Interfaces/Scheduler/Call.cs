using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;
using Orleans;

namespace Mesos.Orleans.Interfaces.Scheduler;

public enum CallType
{
    UNKNOWN = 0,
    SUBSCRIBE = 1,
    TEARDOWN = 2,
    ACCEPT = 3,
    DECLINE = 4,
    REVIVE = 5,
    KILL = 6,
    SHUTDOWN = 7,
    ACKNOWLEDGE = 8,
    RECONCILE = 9,
    MESSAGE = 10,
    REQUEST = 11,
    SUPPRESS = 12,
    ACCEPT_INVERSE_OFFERS = 13,
    DECLINE_INVERSE_OFFERS = 14,
    ACKNOWLEDGE_OPERATION_STATUS = 15,
    RECONCILE_OPERATIONS = 16,
    UPDATE_FRAMEWORK = 17,
}

/// <summary>mesos.v1.scheduler.Call: the envelope of every scheduler request.</summary>
[GenerateSerializer]
public sealed class Call
{
    [Id(0)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(1)]
    public CallType? Type { get; set; }

    [Id(2)]
    public SubscribeCall? Subscribe { get; set; }

    [Id(3)]
    public AcceptCall? Accept { get; set; }

    [Id(4)]
    public DeclineCall? Decline { get; set; }

    [Id(5)]
    public ReviveCall? Revive { get; set; }

    [Id(6)]
    public SuppressCall? Suppress { get; set; }

    [Id(7)]
    public KillCall? Kill { get; set; }

    [Id(8)]
    public AcknowledgeCall? Acknowledge { get; set; }

    [Id(9)]
    public ReconcileCall? Reconcile { get; set; }

    [Id(10)]
    public ShutdownCall? Shutdown { get; set; }

    [Id(11)]
    public MessageCall? Message { get; set; }

    [Id(12)]
    public RequestCall? Request { get; set; }

    /// <summary>The doc example's top-level form of REQUEST; clients send it, so it is honoured.</summary>
    [Id(13)]
    public List<RequestEntry>? Requests { get; set; }

    [Id(14)]
    public UpdateFrameworkCall? UpdateFramework { get; set; }

    [Id(15)]
    public InverseOffersCall? AcceptInverseOffers { get; set; }

    [Id(16)]
    public InverseOffersCall? DeclineInverseOffers { get; set; }

    [Id(17)]
    public AcknowledgeOperationStatusCall? AcknowledgeOperationStatus { get; set; }

    [Id(18)]
    public ReconcileOperationsCall? ReconcileOperations { get; set; }
}

[GenerateSerializer]
public sealed class ShutdownCall
{
    [ProtoRequired]
    [Id(0)]
    public ExecutorId? ExecutorId { get; set; }

    [ProtoRequired]
    [Id(1)]
    public AgentId? AgentId { get; set; }
}

[GenerateSerializer]
public sealed class MessageCall
{
    [ProtoRequired]
    [Id(0)]
    public AgentId? AgentId { get; set; }

    [ProtoRequired]
    [Id(1)]
    public ExecutorId? ExecutorId { get; set; }

    [ProtoRequired]
    [Id(2)]
    public byte[]? Data { get; set; }
}

[GenerateSerializer]
public sealed class RequestEntry
{
    [Id(0)]
    public AgentId? AgentId { get; set; }

    [Id(1)]
    public List<Resource>? Resources { get; set; }
}

[GenerateSerializer]
public sealed class RequestCall
{
    [Id(0)]
    public List<RequestEntry>? Requests { get; set; }
}

[GenerateSerializer]
public sealed class UpdateFrameworkCall
{
    [ProtoRequired]
    [Id(0)]
    public FrameworkInfo? FrameworkInfo { get; set; }

    [Id(1)]
    public List<string>? SuppressedRoles { get; set; }
}

[GenerateSerializer]
public sealed class InverseOffersCall
{
    [Id(0)]
    public List<OfferId>? InverseOfferIds { get; set; }

    [Id(1)]
    public Filters? Filters { get; set; }
}

[GenerateSerializer]
public sealed class AcknowledgeOperationStatusCall
{
    [Id(0)]
    public AgentId? AgentId { get; set; }

    [ProtoRequired]
    [Id(1)]
    public byte[]? Uuid { get; set; }

    [ProtoRequired]
    [Id(2)]
    public OperationId? OperationId { get; set; }
}

[GenerateSerializer]
public sealed class ReconcileOperation
{
    [Id(0)]
    public OperationId? OperationId { get; set; }

    [Id(1)]
    public AgentId? AgentId { get; set; }
}

[GenerateSerializer]
public sealed class ReconcileOperationsCall
{
    [Id(0)]
    public List<ReconcileOperation>? Operations { get; set; }
}

[GenerateSerializer]
public sealed class SubscribeCall
{
    [ProtoRequired]
    [Id(0)]
    public FrameworkInfo? FrameworkInfo { get; set; }

    [Id(1)]
    public List<string>? SuppressedRoles { get; set; }
}

[GenerateSerializer]
public sealed class AcceptCall
{
    [Id(0)]
    public List<OfferId>? OfferIds { get; set; }

    [Id(1)]
    public List<OfferOperation>? Operations { get; set; }

    [Id(2)]
    public Filters? Filters { get; set; }
}

[GenerateSerializer]
public sealed class DeclineCall
{
    [Id(0)]
    public List<OfferId>? OfferIds { get; set; }

    [Id(1)]
    public Filters? Filters { get; set; }
}

[GenerateSerializer]
public sealed class ReviveCall
{
    [Id(0)]
    public List<string>? Roles { get; set; }

    /// <summary>The doc example's singular form; real clients send it, so it is honoured too.</summary>
    [Id(1)]
    public string? Role { get; set; }
}

[GenerateSerializer]
public sealed class SuppressCall
{
    [Id(0)]
    public List<string>? Roles { get; set; }
}

[GenerateSerializer]
public sealed class KillCall
{
    [ProtoRequired]
    [Id(0)]
    public TaskId? TaskId { get; set; }

    [Id(1)]
    public AgentId? AgentId { get; set; }

    [Id(2)]
    public KillPolicy? KillPolicy { get; set; }
}

[GenerateSerializer]
public sealed class AcknowledgeCall
{
    [ProtoRequired]
    [Id(0)]
    public AgentId? AgentId { get; set; }

    [ProtoRequired]
    [Id(1)]
    public TaskId? TaskId { get; set; }

    [ProtoRequired]
    [Id(2)]
    public byte[]? Uuid { get; set; }
}

[GenerateSerializer]
public sealed class ReconcileCall
{
    [Id(0)]
    public List<ReconcileTask>? Tasks { get; set; }
}

[GenerateSerializer]
public sealed class ReconcileTask
{
    [ProtoRequired]
    [Id(0)]
    public TaskId? TaskId { get; set; }

    [Id(1)]
    public AgentId? AgentId { get; set; }
}

public enum OperationType
{
    UNKNOWN = 0,
    LAUNCH = 1,
    RESERVE = 2,
    UNRESERVE = 3,
    CREATE = 4,
    DESTROY = 5,
    LAUNCH_GROUP = 6,
    GROW_VOLUME = 11,
    SHRINK_VOLUME = 12,
    CREATE_DISK = 13,
    DESTROY_DISK = 14,
}

/// <summary>mesos.v1.Offer.Operation.</summary>
[GenerateSerializer]
public sealed class OfferOperation
{
    [Id(0)]
    public OperationType? Type { get; set; }

    [Id(1)]
    public OperationId? Id { get; set; }

    [Id(2)]
    public LaunchOperation? Launch { get; set; }

    [Id(3)]
    public LaunchGroupOperation? LaunchGroup { get; set; }

    [Id(4)]
    public ReserveOperation? Reserve { get; set; }

    [Id(5)]
    public ReserveOperation? Unreserve { get; set; }

    [Id(6)]
    public VolumesOperation? Create { get; set; }

    [Id(7)]
    public VolumesOperation? Destroy { get; set; }
}

[GenerateSerializer]
public sealed class LaunchGroupOperation
{
    [Id(0)]
    public ExecutorInfo? Executor { get; set; }

    [Id(1)]
    public TaskGroupInfo? TaskGroup { get; set; }
}

[GenerateSerializer]
public sealed class TaskGroupInfo
{
    [Id(0)]
    public List<TaskInfo>? Tasks { get; set; }
}

[GenerateSerializer]
public sealed class ReserveOperation
{
    [Id(0)]
    public List<Resource>? Source { get; set; }

    [Id(1)]
    public List<Resource>? Resources { get; set; }
}

[GenerateSerializer]
public sealed class VolumesOperation
{
    [Id(0)]
    public List<Resource>? Volumes { get; set; }
}

[GenerateSerializer]
public sealed class LaunchOperation
{
    [Id(0)]
    public List<TaskInfo>? TaskInfos { get; set; }
}
