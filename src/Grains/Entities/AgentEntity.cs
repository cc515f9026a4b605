using Mesos.Orleans.Grains.Streams;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Entities;

/// <summary>An admitted agent: what it offers in total, what its tasks and outstanding offers hold,
/// and its event stream while connected. Mutated only on the master's event loop.</summary>
public sealed class AgentEntity
{
    public AgentEntity(AgentId id, AgentInfo info, ResourceBag total, Url url, DateTimeOffset registeredTime)
    {
        Id = id;
        Info = info;
        Total = total;
        Url = url;
        RegisteredTime = registeredTime;
    }

    public AgentId Id { get; }

    public AgentInfo Info { get; set; }

    public ResourceBag Total { get; set; }

    /// <summary>Resources held by the agent's non-terminal tasks.</summary>
    public ResourceBag Used { get; set; } = ResourceBag.Empty;

    /// <summary>Resources in outstanding offers.</summary>
    public ResourceBag Offered { get; set; } = ResourceBag.Empty;

    public Url Url { get; set; }

    public DateTimeOffset RegisteredTime { get; }

    public EventStream? Stream { get; set; }

    public bool Connected => Stream is { IsClosed: false };

    /// <summary>Deactivated by an operator (DEACTIVATE_AGENT, or draining): connected, but offered to nobody.</summary>
    public bool Deactivated { get; set; }

    /// <summary>Set by DRAIN_AGENT.</summary>
    public Interfaces.Operator.DrainInfo? Drain { get; set; }

    public DateTimeOffset? ReregisteredTime { get; set; }

    /// <summary>When the agent's stream ended; it becomes unreachable if it does not come back in time.</summary>
    public ITimer? UnreachableTimer { get; set; }

    /// <summary>A task leaves this table only once it is terminal (<c>ForgetTask</c>): the usage path relies on it.</summary>
    public Dictionary<(FrameworkId Framework, TaskId Task), TaskEntity> Tasks { get; } = [];

    /// <summary>The agent's latest usage report, in memory only (never in the registry); it goes with the agent.</summary>
    public Usage.UsageReport? Usage { get; set; }

    /// <summary>Default executors of task groups and what they hold themselves; released with their last task.</summary>
    public Dictionary<(FrameworkId Framework, ExecutorId Executor), ResourceBag> Executors { get; } = [];

    /// <summary>What is neither used nor offered. Used and offered resources carry allocation info; the
    /// agent's total does not, so it is stripped before subtracting.</summary>
    public ResourceBag Available => Total.Subtract(Used.Add(Offered).WithAllocationRole(null));
}
