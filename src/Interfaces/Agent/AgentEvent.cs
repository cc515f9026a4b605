using Mesos.Orleans.Interfaces.V1;

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
public sealed class AgentEvent
{
    public AgentEventType? Type { get; set; }

    public long? Term { get; set; }

    public AgentSubscribed? Subscribed { get; set; }

    public RunTask? RunTask { get; set; }

    public KillTask? KillTask { get; set; }

    public AcknowledgeUpdate? Acknowledge { get; set; }

    public ShutdownFramework? ShutdownFramework { get; set; }

    public string? Error { get; set; }

    public FrameworkMessage? FrameworkMessage { get; set; }

    public RunTaskGroup? RunTaskGroup { get; set; }

    public DestroyVolumes? DestroyVolumes { get; set; }
}

public sealed class DestroyVolumes
{
    public List<Resource>? Volumes { get; set; }
}

public sealed class RunTaskGroup
{
    public FrameworkInfo? Framework { get; set; }

    public FrameworkId? FrameworkId { get; set; }

    public ExecutorInfo? Executor { get; set; }

    public List<TaskInfo>? Tasks { get; set; }
}

public sealed class FrameworkMessage
{
    public FrameworkId? FrameworkId { get; set; }

    public ExecutorId? ExecutorId { get; set; }

    public byte[]? Data { get; set; }
}

public sealed class AgentSubscribed
{
    public AgentId? AgentId { get; set; }

    public double? HeartbeatIntervalSeconds { get; set; }

    public MasterInfo? MasterInfo { get; set; }

    /// <summary>The term of the master activation that sent this (silos clustered on PostgreSQL); agents refuse a
    /// master whose term is older than one they have already followed.</summary>
    public long? LeaderTerm { get; set; }

    /// <summary>Where the agent sends its usage stream (the master's own usage receiver); when absent, to
    /// <c>/api/v1/agent/usage</c> on the master's main port.</summary>
    public string? UsageUrl { get; set; }
}

public sealed class RunTask
{
    public FrameworkInfo? Framework { get; set; }

    public FrameworkId? FrameworkId { get; set; }

    public TaskInfo? Task { get; set; }
}

public sealed class KillTask
{
    public FrameworkId? FrameworkId { get; set; }

    public TaskId? TaskId { get; set; }

    public KillPolicy? KillPolicy { get; set; }
}

public sealed class AcknowledgeUpdate
{
    public FrameworkId? FrameworkId { get; set; }

    public TaskId? TaskId { get; set; }

    public byte[]? Uuid { get; set; }
}

public sealed class ShutdownFramework
{
    public FrameworkId? FrameworkId { get; set; }
}
