using Mesos.Orleans.Interfaces.V1;
using Orleans;

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
[GenerateSerializer]
public sealed class OperatorEvent
{
    [Id(0)]
    public OperatorEventType? Type { get; set; }

    [Id(1)]
    public OperatorSubscribed? Subscribed { get; set; }

    [Id(2)]
    public TaskAdded? TaskAdded { get; set; }

    [Id(3)]
    public TaskUpdated? TaskUpdated { get; set; }

    [Id(4)]
    public AgentAdded? AgentAdded { get; set; }

    [Id(5)]
    public AgentRemoved? AgentRemoved { get; set; }

    [Id(6)]
    public FrameworkChanged? FrameworkAdded { get; set; }

    [Id(7)]
    public FrameworkChanged? FrameworkUpdated { get; set; }

    [Id(8)]
    public FrameworkRemoved? FrameworkRemoved { get; set; }
}

[GenerateSerializer]
public sealed class OperatorSubscribed
{
    [Id(0)]
    public GetState? GetState { get; set; }

    [Id(1)]
    public double? HeartbeatIntervalSeconds { get; set; }
}

[GenerateSerializer]
public sealed class TaskAdded
{
    [Id(0)]
    public TaskEntry? Task { get; set; }
}

[GenerateSerializer]
public sealed class TaskUpdated
{
    [Id(0)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(1)]
    public TaskStatus? Status { get; set; }

    [Id(2)]
    public TaskState? State { get; set; }
}

[GenerateSerializer]
public sealed class AgentAdded
{
    [Id(0)]
    public AgentEntry? Agent { get; set; }
}

[GenerateSerializer]
public sealed class AgentRemoved
{
    [Id(0)]
    public AgentId? AgentId { get; set; }
}

[GenerateSerializer]
public sealed class FrameworkChanged
{
    [Id(0)]
    public FrameworkEntry? Framework { get; set; }
}

[GenerateSerializer]
public sealed class FrameworkRemoved
{
    [Id(0)]
    public FrameworkInfo? FrameworkInfo { get; set; }
}
