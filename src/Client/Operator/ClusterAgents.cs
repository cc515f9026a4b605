using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Client.Operator;

/// <summary><see cref="IAgents"/> over GET_AGENTS and the agent mutations of the operator API.</summary>
internal sealed class ClusterAgents(OperatorApi api) : IAgents
{
    public async Task<IReadOnlyList<AgentEntry>> ListAsync(CancellationToken cancellationToken = default) =>
        (await api.GetAsync(OperatorCallType.GET_AGENTS, cancellationToken).ConfigureAwait(false)).GetAgents?.Agents ?? [];

    public async Task<AgentEntry?> GetAsync(AgentId agentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        return (await ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(a => a.AgentInfo?.Id == agentId);
    }

    public Task DrainAsync(AgentId agentId, TimeSpan? maxGracePeriod = null, bool markGone = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        return api.ExecuteAsync(
            new OperatorCall
            {
                Type = OperatorCallType.DRAIN_AGENT,
                DrainAgent = new DrainAgentCall
                {
                    AgentId = agentId,
                    MaxGracePeriod = maxGracePeriod is { } grace ? ToProto(grace) : null,
                    MarkGone = markGone ? true : null,
                },
            },
            cancellationToken);
    }

    public Task DeactivateAsync(AgentId agentId, CancellationToken cancellationToken = default) =>
        api.ExecuteAsync(new OperatorCall { Type = OperatorCallType.DEACTIVATE_AGENT, DeactivateAgent = AgentCall(agentId) }, cancellationToken);

    public Task ReactivateAsync(AgentId agentId, CancellationToken cancellationToken = default) =>
        api.ExecuteAsync(new OperatorCall { Type = OperatorCallType.REACTIVATE_AGENT, ReactivateAgent = AgentCall(agentId) }, cancellationToken);

    public Task MarkGoneAsync(AgentId agentId, CancellationToken cancellationToken = default) =>
        api.ExecuteAsync(new OperatorCall { Type = OperatorCallType.MARK_AGENT_GONE, MarkAgentGone = AgentCall(agentId) }, cancellationToken);

    public Task ReserveAsync(AgentId agentId, IEnumerable<Resource> resources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(resources);
        return api.ExecuteAsync(
            new OperatorCall { Type = OperatorCallType.RESERVE_RESOURCES, ReserveResources = new ReserveResourcesCall { AgentId = agentId, Resources = [.. resources] } },
            cancellationToken);
    }

    public Task UnreserveAsync(AgentId agentId, IEnumerable<Resource> resources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(resources);
        return api.ExecuteAsync(
            new OperatorCall { Type = OperatorCallType.UNRESERVE_RESOURCES, UnreserveResources = new ReserveResourcesCall { AgentId = agentId, Resources = [.. resources] } },
            cancellationToken);
    }

    private static AgentIdCall AgentCall(AgentId agentId)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        return new AgentIdCall { AgentId = agentId };
    }

    private static ProtoDuration ToProto(TimeSpan duration)
    {
        var seconds = (long)Math.Floor(duration.TotalSeconds);
        var nanos = (int)((duration.Ticks - (seconds * TimeSpan.TicksPerSecond)) * 100);
        return new ProtoDuration { Seconds = seconds, Nanos = nanos == 0 ? null : nanos };
    }
}
