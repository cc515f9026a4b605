using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.Grains.Core;

// After a restart or failover: the registry says which agents and frameworks existed. Agents have
// agent_reregister_timeout to come back before they count as unreachable; frameworks have their own
// failover_timeout to resubscribe before they are removed and their tasks killed.
public sealed partial class MasterCore
{
    /// <summary>Agents the registry knows that have not reregistered since this master started.</summary>
    public Task<int> RecoveredAgentCountAsync() => _loop.InvokeAsync(() => _recoveredAgents.Count);

    private void ExpectFramework(RegisteredFramework framework)
    {
        // A framework gets at least the agents' grace: it cannot resubscribe before it can find the new master.
        var own = FailoverTimeout(framework.Info);
        var grace = _options.AgentReregisterTimeout;
        _recoveredFrameworks.Add(framework.Id);
        _failoverDeadlines.Expect(framework.Id, After(grace), After(own > grace ? own : grace));
    }

    private void ForgetExpectedFramework(FrameworkId id)
    {
        if (_recoveredFrameworks.Remove(id))
        {
            _failoverDeadlines.Cancel(id);
        }
    }

    /// <summary>A framework that did not resubscribe within its failover timeout: removed, its tasks killed.</summary>
    private async Task ExpireRecoveredFrameworkAsync(FrameworkId id)
    {
        if (!_recoveredFrameworks.Remove(id) || _frameworks.ContainsKey(id))
        {
            return;
        }

        _logger.LogWarning("Framework {Id} did not resubscribe within its failover timeout after recovery; removing it", id);
        _removedFrameworks.Add(id);
        foreach (var agent in _agents.Values)
        {
            foreach (var task in agent.Tasks.Values.Where(t => t.FrameworkId == id && !t.IsTerminal))
            {
                SendToAgent(agent, new AgentEvent
                {
                    Type = AgentEventType.KILL_TASK,
                    KillTask = new KillTask { FrameworkId = id, TaskId = task.Id, KillPolicy = task.Info.KillPolicy },
                });
            }
        }

        var now = _time.GetUtcNow();
        await Persist((r, ct) => r.RemoveFrameworkAsync(id, now, ct)).ConfigureAwait(false);
    }

    /// <summary>agent_reregister_timeout passed: agents still missing are unreachable (their tasks reconcile as such).</summary>
    private void MarkRecoveredAgentsUnreachable()
    {
        foreach (var (id, info) in _recoveredAgents)
        {
            _logger.LogWarning("Agent {Id} ({Host}) did not reregister within {Timeout}; marking it unreachable", id, info.Hostname, _options.AgentReregisterTimeout);
            _unreachableAgents[id] = info;
            PersistAgentState(id, AgentRegistryState.Unreachable);
            Count("master/slave_unreachable_completed");
        }

        _recoveredAgents.Clear();
    }
}
