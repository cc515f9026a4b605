using Mesos.Orleans.Interfaces.Json;
using Orleans;

namespace Mesos.Orleans.Interfaces.V1;

public enum TaskState
{
    TASK_STARTING = 0,
    TASK_RUNNING = 1,
    TASK_FINISHED = 2,
    TASK_FAILED = 3,
    TASK_KILLED = 4,
    TASK_LOST = 5,
    TASK_STAGING = 6,
    TASK_ERROR = 7,
    TASK_KILLING = 8,
    TASK_DROPPED = 9,
    TASK_UNREACHABLE = 10,
    TASK_GONE = 11,
    TASK_GONE_BY_OPERATOR = 12,
    TASK_UNKNOWN = 13,
}

public enum TaskStatusSource
{
    SOURCE_MASTER = 0,
    SOURCE_AGENT = 1,
    SOURCE_EXECUTOR = 2,
}

public enum TaskStatusReason
{
    REASON_COMMAND_EXECUTOR_FAILED = 0,
    REASON_EXECUTOR_TERMINATED = 1,
    REASON_EXECUTOR_UNREGISTERED = 2,
    REASON_FRAMEWORK_REMOVED = 3,
    REASON_GC_ERROR = 4,
    REASON_INVALID_FRAMEWORKID = 5,
    REASON_INVALID_OFFERS = 6,
    REASON_MASTER_DISCONNECTED = 7,
    REASON_CONTAINER_LIMITATION_MEMORY = 8,
    REASON_RECONCILIATION = 9,
    REASON_AGENT_DISCONNECTED = 10,
    REASON_AGENT_REMOVED = 11,
    REASON_AGENT_RESTARTED = 12,
    REASON_AGENT_UNKNOWN = 13,
    REASON_TASK_INVALID = 14,
    REASON_TASK_UNAUTHORIZED = 15,
    REASON_TASK_UNKNOWN = 16,
    REASON_CONTAINER_PREEMPTED = 17,
    REASON_RESOURCES_UNKNOWN = 18,
    REASON_CONTAINER_LIMITATION = 19,
    REASON_CONTAINER_LIMITATION_DISK = 20,
    REASON_CONTAINER_LAUNCH_FAILED = 21,
    REASON_CONTAINER_UPDATE_FAILED = 22,
    REASON_EXECUTOR_REGISTRATION_TIMEOUT = 23,
    REASON_EXECUTOR_REREGISTRATION_TIMEOUT = 24,
    REASON_TASK_GROUP_INVALID = 25,
    REASON_TASK_GROUP_UNAUTHORIZED = 26,
    REASON_IO_SWITCHBOARD_EXITED = 27,
    REASON_TASK_CHECK_STATUS_UPDATED = 28,
    REASON_TASK_HEALTH_CHECK_STATUS_UPDATED = 29,
    REASON_TASK_KILLED_DURING_LAUNCH = 30,
    REASON_AGENT_REMOVED_BY_OPERATOR = 31,
    REASON_AGENT_REREGISTERED = 32,
    REASON_MAX_COMPLETION_TIME_REACHED = 33,
    REASON_AGENT_DRAINING = 34,
}

/// <summary>mesos.v1.TaskStatus.</summary>
[GenerateSerializer]
public sealed class TaskStatus
{
    [ProtoRequired]
    [Id(0)]
    public TaskId? TaskId { get; set; }

    [ProtoRequired]
    [Id(1)]
    public TaskState? State { get; set; }

    [Id(2)]
    public string? Message { get; set; }

    [Id(3)]
    public TaskStatusSource? Source { get; set; }

    [Id(4)]
    public TaskStatusReason? Reason { get; set; }

    [Id(5)]
    public byte[]? Data { get; set; }

    [Id(6)]
    public AgentId? AgentId { get; set; }

    [Id(7)]
    public ExecutorId? ExecutorId { get; set; }

    /// <summary>Seconds since the epoch.</summary>
    [Id(8)]
    public double? Timestamp { get; set; }

    /// <summary>16 raw bytes (base64 on the wire); present only on reliable updates, which must be acknowledged.</summary>
    [Id(9)]
    public byte[]? Uuid { get; set; }

    [Id(10)]
    public bool? Healthy { get; set; }

    [Id(11)]
    public Labels? Labels { get; set; }

    [Id(12)]
    public TimeInfo? UnreachableTime { get; set; }
}

public static class TaskStates
{
    /// <summary>The master's terminal set; the one place that decides "terminal".</summary>
    public static bool IsTerminal(TaskState state) => state is
        TaskState.TASK_FINISHED or TaskState.TASK_FAILED or TaskState.TASK_KILLED or TaskState.TASK_ERROR or
        TaskState.TASK_LOST or TaskState.TASK_DROPPED or TaskState.TASK_GONE or TaskState.TASK_GONE_BY_OPERATOR;
}
