using Mesos.Orleans.Interfaces.V1;
using Orleans;

namespace Mesos.Orleans.Interfaces.Agent;

public enum AgentEventType
{
    UNKNOWN = 0,
    SUBSCRIBED = 1,
    RUN_TASK = 2,
    KILL_TASK = 3,
    ACKNOWLEDGE = 4,
    HEARTBEAT = 5,
    SHUTDOWN_FRAMEWORK = 6,
    ERROR = 7,

    /// <summary>A framework's message for an executor (best effort, as in Mesos).</summary>
    FRAMEWORK_MESSAGE = 8,

    /// <summary>A task group (LAUNCH_GROUP): its tasks start together under one default executor and, as with
    /// Mesos's default executor, a task that fails or is killed takes the rest of the group with it.</summary>
    RUN_TASK_GROUP = 9,

    /// <summary>Persistent volumes destroyed by a framework (DESTROY): the agent deletes their data.</summary>
    DESTROY_VOLUMES = 10,
}

/// <summary>One record of the master-to-agent stream. Every event carries the leader's term; agents
/// ignore events stamped with an older term than one they have seen.</summary>
[GenerateSerializer]
public sealed class AgentEvent
{
    [Id(0)]
    public AgentEventType? Type { get; set; }

    [Id(1)]
    public long? Term { get; set; }

    [Id(2)]
    public AgentSubscribed? Subscribed { get; set; }

    [Id(3)]
    public RunTask? RunTask { get; set; }

    [Id(4)]
    public KillTask? KillTask { get; set; }

    [Id(5)]
    public AcknowledgeUpdate? Acknowledge { get; set; }

    [Id(6)]
    public ShutdownFramework? ShutdownFramework { get; set; }

    [Id(7)]
    public string? Error { get; set; }

    [Id(8)]
    public FrameworkMessage? FrameworkMessage { get; set; }

    [Id(9)]
    public RunTaskGroup? RunTaskGroup { get; set; }

    [Id(10)]
    public DestroyVolumes? DestroyVolumes { get; set; }
}

[GenerateSerializer]
public sealed class DestroyVolumes
{
    [Id(0)]
    public List<Resource>? Volumes { get; set; }
}

[GenerateSerializer]
public sealed class RunTaskGroup
{
    [Id(0)]
    public FrameworkInfo? Framework { get; set; }

    [Id(1)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(2)]
    public ExecutorInfo? Executor { get; set; }

    [Id(3)]
    public List<TaskInfo>? Tasks { get; set; }
}

[GenerateSerializer]
public sealed class FrameworkMessage
{
    [Id(0)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(1)]
    public ExecutorId? ExecutorId { get; set; }

    [Id(2)]
    public byte[]? Data { get; set; }
}

[GenerateSerializer]
public sealed class AgentSubscribed
{
    [Id(0)]
    public AgentId? AgentId { get; set; }

    [Id(1)]
    public double? HeartbeatIntervalSeconds { get; set; }

    [Id(2)]
    public MasterInfo? MasterInfo { get; set; }

    /// <summary>The term of the master activation that sent this (silos clustered on PostgreSQL); agents refuse a
    /// master whose term is older than one they have already followed.</summary>
    [Id(3)]
    public long? LeaderTerm { get; set; }

    /// <summary>Where the agent sends its usage stream (the master's own usage receiver); when absent, to
    /// <c>/api/v1/agent/usage</c> on the master's main port.</summary>
    [Id(4)]
    public string? UsageUrl { get; set; }
}

[GenerateSerializer]
public sealed class RunTask
{
    [Id(0)]
    public FrameworkInfo? Framework { get; set; }

    [Id(1)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(2)]
    public TaskInfo? Task { get; set; }
}

[GenerateSerializer]
public sealed class KillTask
{
    [Id(0)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(1)]
    public TaskId? TaskId { get; set; }

    [Id(2)]
    public KillPolicy? KillPolicy { get; set; }
}

[GenerateSerializer]
public sealed class AcknowledgeUpdate
{
    [Id(0)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(1)]
    public TaskId? TaskId { get; set; }

    [Id(2)]
    public byte[]? Uuid { get; set; }
}

[GenerateSerializer]
public sealed class ShutdownFramework
{
    [Id(0)]
    public FrameworkId? FrameworkId { get; set; }
}
