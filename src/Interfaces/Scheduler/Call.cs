using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;

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
public sealed class Call
{
    public FrameworkId? FrameworkId { get; set; }

    public CallType? Type { get; set; }

    public SubscribeCall? Subscribe { get; set; }

    public AcceptCall? Accept { get; set; }

    public DeclineCall? Decline { get; set; }

    public ReviveCall? Revive { get; set; }

    public SuppressCall? Suppress { get; set; }

    public KillCall? Kill { get; set; }

    public AcknowledgeCall? Acknowledge { get; set; }

    public ReconcileCall? Reconcile { get; set; }

    public ShutdownCall? Shutdown { get; set; }

    public MessageCall? Message { get; set; }

    public RequestCall? Request { get; set; }

    /// <summary>The doc example's top-level form of REQUEST; clients send it, so it is honoured.</summary>
    public List<RequestEntry>? Requests { get; set; }

    public UpdateFrameworkCall? UpdateFramework { get; set; }

    public InverseOffersCall? AcceptInverseOffers { get; set; }

    public InverseOffersCall? DeclineInverseOffers { get; set; }

    public AcknowledgeOperationStatusCall? AcknowledgeOperationStatus { get; set; }

    public ReconcileOperationsCall? ReconcileOperations { get; set; }
}

public sealed class ShutdownCall
{
    [ProtoRequired]
    public ExecutorId? ExecutorId { get; set; }

    [ProtoRequired]
    public AgentId? AgentId { get; set; }
}

public sealed class MessageCall
{
    [ProtoRequired]
    public AgentId? AgentId { get; set; }

    [ProtoRequired]
    public ExecutorId? ExecutorId { get; set; }

    [ProtoRequired]
    public byte[]? Data { get; set; }
}

public sealed class RequestEntry
{
    public AgentId? AgentId { get; set; }

    public List<Resource>? Resources { get; set; }
}

public sealed class RequestCall
{
    public List<RequestEntry>? Requests { get; set; }
}

public sealed class UpdateFrameworkCall
{
    [ProtoRequired]
    public FrameworkInfo? FrameworkInfo { get; set; }

    public List<string>? SuppressedRoles { get; set; }
}

public sealed class InverseOffersCall
{
    public List<OfferId>? InverseOfferIds { get; set; }

    public Filters? Filters { get; set; }
}

public sealed class AcknowledgeOperationStatusCall
{
    public AgentId? AgentId { get; set; }

    [ProtoRequired]
    public byte[]? Uuid { get; set; }

    [ProtoRequired]
    public OperationId? OperationId { get; set; }
}

public sealed class ReconcileOperation
{
    public OperationId? OperationId { get; set; }

    public AgentId? AgentId { get; set; }
}

public sealed class ReconcileOperationsCall
{
    public List<ReconcileOperation>? Operations { get; set; }
}

public sealed class SubscribeCall
{
    [ProtoRequired]
    public FrameworkInfo? FrameworkInfo { get; set; }

    public List<string>? SuppressedRoles { get; set; }
}

public sealed class AcceptCall
{
    public List<OfferId>? OfferIds { get; set; }

    public List<OfferOperation>? Operations { get; set; }

    public Filters? Filters { get; set; }
}

public sealed class DeclineCall
{
    public List<OfferId>? OfferIds { get; set; }

    public Filters? Filters { get; set; }
}

public sealed class ReviveCall
{
    public List<string>? Roles { get; set; }

    /// <summary>The doc example's singular form; real clients send it, so it is honoured too.</summary>
    public string? Role { get; set; }
}

public sealed class SuppressCall
{
    public List<string>? Roles { get; set; }
}

public sealed class KillCall
{
    [ProtoRequired]
    public TaskId? TaskId { get; set; }

    public AgentId? AgentId { get; set; }

    public KillPolicy? KillPolicy { get; set; }
}

public sealed class AcknowledgeCall
{
    [ProtoRequired]
    public AgentId? AgentId { get; set; }

    [ProtoRequired]
    public TaskId? TaskId { get; set; }

    [ProtoRequired]
    public byte[]? Uuid { get; set; }
}

public sealed class ReconcileCall
{
    public List<ReconcileTask>? Tasks { get; set; }
}

public sealed class ReconcileTask
{
    [ProtoRequired]
    public TaskId? TaskId { get; set; }

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
public sealed class OfferOperation
{
    public OperationType? Type { get; set; }

    public OperationId? Id { get; set; }

    public LaunchOperation? Launch { get; set; }

    public LaunchGroupOperation? LaunchGroup { get; set; }

    public ReserveOperation? Reserve { get; set; }

    public ReserveOperation? Unreserve { get; set; }

    public VolumesOperation? Create { get; set; }

    public VolumesOperation? Destroy { get; set; }
}

public sealed class LaunchGroupOperation
{
    public ExecutorInfo? Executor { get; set; }

    public TaskGroupInfo? TaskGroup { get; set; }
}

public sealed class TaskGroupInfo
{
    public List<TaskInfo>? Tasks { get; set; }
}

public sealed class ReserveOperation
{
    public List<Resource>? Source { get; set; }

    public List<Resource>? Resources { get; set; }
}

public sealed class VolumesOperation
{
    public List<Resource>? Volumes { get; set; }
}

public sealed class LaunchOperation
{
    public List<TaskInfo>? TaskInfos { get; set; }
}
