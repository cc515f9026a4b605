using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Operator;

/// <summary>mesos.v1.master.Event.Type.</summary>
public enum OperatorEventType
{
    UNKNOWN = 0,
    SUBSCRIBED = 1,
    TASK_ADDED = 2,
    TASK_UPDATED = 3,
    AGENT_ADDED = 4,
    AGENT_REMOVED = 5,
    FRAMEWORK_ADDED = 6,
    FRAMEWORK_UPDATED = 7,
    FRAMEWORK_REMOVED = 8,
    HEARTBEAT = 9,
}

/// <summary>mesos.v1.master.Event: one record of the operator event stream.</summary>
public sealed class OperatorEvent
{
    public OperatorEventType? Type { get; set; }

    public OperatorSubscribed? Subscribed { get; set; }

    public TaskAdded? TaskAdded { get; set; }

    public TaskUpdated? TaskUpdated { get; set; }

    public AgentAdded? AgentAdded { get; set; }

    public AgentRemoved? AgentRemoved { get; set; }

    public FrameworkChanged? FrameworkAdded { get; set; }

    public FrameworkChanged? FrameworkUpdated { get; set; }

    public FrameworkRemoved? FrameworkRemoved { get; set; }
}

public sealed class OperatorSubscribed
{
    public GetState? GetState { get; set; }

    public double? HeartbeatIntervalSeconds { get; set; }
}

public sealed class TaskAdded
{
    public TaskEntry? Task { get; set; }
}

public sealed class TaskUpdated
{
    public FrameworkId? FrameworkId { get; set; }

    public TaskStatus? Status { get; set; }

    public TaskState? State { get; set; }
}

public sealed class AgentAdded
{
    public AgentEntry? Agent { get; set; }
}

public sealed class AgentRemoved
{
    public AgentId? AgentId { get; set; }
}

public sealed class FrameworkChanged
{
    public FrameworkEntry? Framework { get; set; }
}

public sealed class FrameworkRemoved
{
    public FrameworkInfo? FrameworkInfo { get; set; }
}
