using Mesos.Orleans.Interfaces.V1;
using Orleans;

namespace Mesos.Orleans.Interfaces.Agent;

public enum AgentCallType
{
    UNKNOWN = 0,

    /// <summary>Opens the agent's event stream; the answer is a RecordIO stream of <see cref="AgentEvent"/>.</summary>
    SUBSCRIBE = 1,

    /// <summary>A task status update; reliable ones carry a uuid and are retried until acknowledged.</summary>
    UPDATE = 2,

    /// <summary>An executor's message for its framework, relayed as the scheduler event MESSAGE (best effort).</summary>
    MESSAGE = 3,

    /// <summary>Resource usage of the agent's tasks and host (best effort; see <see cref="AgentUsage"/>).</summary>
    USAGE = 4,
}

/// <summary>A call from an agent to the master: POST /api/v1/agent, JSON in Mesos's conventions.
/// See docs/agent-protocol.md.</summary>
[GenerateSerializer]
public sealed class AgentCall
{
    [Id(0)]
    public AgentCallType? Type { get; set; }

    /// <summary>Set on every call but SUBSCRIBE from a new agent.</summary>
    [Id(1)]
    public AgentId? AgentId { get; set; }

    [Id(2)]
    public AgentSubscribe? Subscribe { get; set; }

    [Id(3)]
    public AgentUpdate? Update { get; set; }

    [Id(4)]
    public FrameworkMessage? Message { get; set; }

    [Id(5)]
    public AgentUsage? Usage { get; set; }
}

[GenerateSerializer]
public sealed class AgentSubscribe
{
    [Id(0)]
    public AgentInfo? AgentInfo { get; set; }

    /// <summary>Where the agent's own HTTP endpoints (files, state) are served.</summary>
    [Id(1)]
    public Url? AgentUrl { get; set; }

    /// <summary>The host's boot id; a change means the old tasks are gone.</summary>
    [Id(2)]
    public string? BootId { get; set; }

    /// <summary>Tasks the agent is still running, sent when it reconnects.</summary>
    [Id(3)]
    public List<AgentTask>? Tasks { get; set; }
}

/// <summary>An agent's report of one task it holds.</summary>
[GenerateSerializer]
public sealed class AgentTask
{
    [Id(0)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(1)]
    public TaskInfo? Task { get; set; }

    [Id(2)]
    public TaskState? State { get; set; }
}

[GenerateSerializer]
public sealed class AgentUpdate
{
    [Id(0)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(1)]
    public TaskStatus? Status { get; set; }

    /// <summary>The task's sandbox on the agent, so the master can point a UI or CLI at its files.</summary>
    [Id(2)]
    public string? Sandbox { get; set; }
}
