using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Client;

/// <summary>The agents of the cluster (operator calls <c>GET_AGENTS</c>, <c>DRAIN_AGENT</c>,
/// <c>DEACTIVATE_AGENT</c>, <c>REACTIVATE_AGENT</c>, <c>MARK_AGENT_GONE</c>, <c>RESERVE_RESOURCES</c>,
/// <c>UNRESERVE_RESOURCES</c>).</summary>
public interface IAgents
{
    /// <summary>The agents registered with the master.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<AgentEntry>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>One agent; null when it is not registered.</summary>
    /// <param name="agentId">The agent's ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<AgentEntry?> GetAsync(AgentId agentId, CancellationToken cancellationToken = default);

    /// <summary>Drains an agent: no new offers, its tasks killed within the grace period; the agent goes
    /// DRAINING, then DRAINED.</summary>
    /// <param name="agentId">The agent's ID.</param>
    /// <param name="maxGracePeriod">The longest a task may take to stop; each task's own policy when null.</param>
    /// <param name="markGone">Marks the agent gone once drained.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task DrainAsync(AgentId agentId, TimeSpan? maxGracePeriod = null, bool markGone = false, CancellationToken cancellationToken = default);

    /// <summary>Stops offering the agent's resources; its tasks keep running.</summary>
    /// <param name="agentId">The agent's ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task DeactivateAsync(AgentId agentId, CancellationToken cancellationToken = default);

    /// <summary>Offers a deactivated or drained agent's resources again.</summary>
    /// <param name="agentId">The agent's ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task ReactivateAsync(AgentId agentId, CancellationToken cancellationToken = default);

    /// <summary>Declares the agent gone for good: its tasks become TASK_GONE_BY_OPERATOR and it may not
    /// register again.</summary>
    /// <param name="agentId">The agent's ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task MarkGoneAsync(AgentId agentId, CancellationToken cancellationToken = default);

    /// <summary>Reserves free resources of the agent dynamically; each resource names the reservation.</summary>
    /// <param name="agentId">The agent's ID.</param>
    /// <param name="resources">The resources as they are to be after the reservation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task ReserveAsync(AgentId agentId, IEnumerable<Resource> resources, CancellationToken cancellationToken = default);

    /// <summary>Releases dynamically reserved resources of the agent.</summary>
    /// <param name="agentId">The agent's ID.</param>
    /// <param name="resources">The reserved resources to release, with their reservations.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task UnreserveAsync(AgentId agentId, IEnumerable<Resource> resources, CancellationToken cancellationToken = default);
}
