using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.Grains.Core;

// Agents: admission and reregistration, status updates, disconnection. See docs/agent-protocol.md.
public sealed partial class MasterCore
{
    public Task<AgentSubscription> SubscribeAgentAsync(AgentCall call) => _loop.InvokeAsync(() => SubscribeAgent(call));

    public Task<CallResult> HandleAgentCallAsync(AgentCall call, string? streamId) =>
        _loop.InvokeAsync(() => HandleAgentCall(call, streamId));

    /// <summary>The HTTP layer saw the agent's stream end.</summary>
    public void AgentStreamEnded(AgentId id, string streamId) => _loop.Post(() =>
    {
        if (_agents.TryGetValue(id, out var agent) && agent.Stream?.StreamId == streamId)
        {
            agent.Stream.Close();
            agent.Stream = null;
            _logger.LogWarning("Agent {Id} ({Host}) disconnected", id, agent.Info.Hostname);
            foreach (var offer in _offers.Values.Where(o => o.AgentId == id).ToList())
            {
                RemoveOffer(offer, rescind: true);
            }

            _allocator.SetAgentActive(id, false);
            agent.UnreachableTimer?.Dispose();
            agent.UnreachableTimer = _time.CreateTimer(
                _ => _loop.Post(() =>
                {
                    if (_agents.TryGetValue(id, out var current) && ReferenceEquals(current, agent) && !agent.Connected)
                    {
                        MarkUnreachable(agent);
                    }
                }),
                null,
                _options.AgentUnreachableTimeout,
                Timeout.InfiniteTimeSpan);
        }
    });

    /// <summary>An agent that stayed away past the timeout: its tasks are TASK_UNREACHABLE to partition-aware
    /// frameworks and TASK_LOST to the others; it leaves the allocator until it comes back.</summary>
    private void MarkUnreachable(AgentEntity agent)
    {
        _logger.LogWarning("Agent {Id} ({Host}) is unreachable", agent.Id, agent.Info.Hostname);
        PersistAgentState(agent.Id, Registry.AgentRegistryState.Unreachable);
        foreach (var task in agent.Tasks.Values.Where(t => !t.IsTerminal).ToList())
        {
            if (!_frameworks.TryGetValue(task.FrameworkId, out var framework))
            {
                continue;
            }

            SendMasterUpdate(framework, task.Id, agent.Id, TaskState.TASK_UNREACHABLE, TaskStatusReason.REASON_AGENT_DISCONNECTED, "Agent is unreachable");
            if (framework.PartitionAware)
            {
                task.State = TaskState.TASK_UNREACHABLE;
            }
            else
            {
                task.State = TaskState.TASK_LOST;
                ReleaseTaskResources(task);
                ForgetTask(task);
                _lostWhileUnreachable.Add((task.FrameworkId, task.Id));
            }
        }

        _allocator.RemoveAgent(agent.Id);
        PublishAgentRemoved(agent.Id);
        SendAgentLost(agent.Id);
    }

    /// <summary>FAILURE with only the agent's ID, to every connected framework, as Mesos reports a lost agent.</summary>
    private void SendAgentLost(AgentId id)
    {
        foreach (var framework in _frameworks.Values)
        {
            SendToFramework(framework, new Event { Type = EventType.FAILURE, Failure = new FailureEvent { AgentId = id } });
        }
    }

    private async Task<AgentSubscription> SubscribeAgent(AgentCall call)
    {
        var subscribe = call.Subscribe;
        if (subscribe?.AgentInfo?.Hostname is null)
        {
            return AgentSubscription.Rejected(CallResult.BadRequest("Expecting 'subscribe.agent_info.hostname' to be present"));
        }

        if (subscribe.AgentUrl?.Address is null)
        {
            return AgentSubscription.Rejected(CallResult.BadRequest("Expecting 'subscribe.agent_url.address' to be present"));
        }

        ResourceBag total;
        try
        {
            total = ResourceBag.FromWire(subscribe.AgentInfo.Resources);
            if (call.AgentId is { } returning)
            {
                total = WithReservations(returning, total);
            }
        }
        catch (ResourceFormatException e)
        {
            return AgentSubscription.Rejected(CallResult.BadRequest($"Invalid agent resources: {e.Message}"));
        }

        var now = _time.GetUtcNow();
        if ((call.AgentId ?? subscribe.AgentInfo.Id) is { } known && _goneAgents.Contains(known))
        {
            return AgentSubscription.Rejected(CallResult.Forbidden($"Agent {known} has been marked gone and may not register again"));
        }

        if (_downMachines.Contains(subscribe.AgentInfo.Hostname) || _downMachines.Contains(subscribe.AgentUrl.Address.Ip ?? string.Empty))
        {
            return AgentSubscription.Rejected(CallResult.Forbidden($"Machine {subscribe.AgentInfo.Hostname} is down for maintenance"));
        }

        var id = call.AgentId ?? subscribe.AgentInfo.Id ?? NewAgentId();
        var info = subscribe.AgentInfo;
        info.Id = id;
        // A reregistration with the same AgentInfo the registry holds needs no write: after a failover,
        // thousands of agents come back at once and each write would hold the loop for a round trip.
        var registered = _agents.TryGetValue(id, out var current) ? current.Info : _recoveredAgents.GetValueOrDefault(id);
        if (registered is null || _unreachableAgents.ContainsKey(id) || MesosJson.Serialize(registered) != MesosJson.Serialize(info))
        {
            await Persist((r, ct) => r.AdmitAgentAsync(id, info, now, ct)).ConfigureAwait(false);
        }

        _recoveredAgents.Remove(id);
        _unreachableAgents.Remove(id);

        var isNew = !_agents.TryGetValue(id, out var agent);
        if (agent is null)
        {
            agent = new AgentEntity(id, info, total, subscribe.AgentUrl, now);
            _agents[id] = agent;
        }
        else
        {
            agent.ReregisteredTime = now;
            agent.UnreachableTimer?.Dispose();
            agent.UnreachableTimer = null;
            agent.Stream?.Close();
            foreach (var offer in _offers.Values.Where(o => o.AgentId == id).ToList())
            {
                RemoveOffer(offer, rescind: true);
            }

            agent.Info = info;
            agent.Total = total;
            agent.Url = subscribe.AgentUrl;
        }

        RestoreAgentState(agent);
        var kills = ReconcileAgentTasks(agent, subscribe.Tasks ?? []);

        // The allocator starts over with this agent: its total, and what its tasks hold.
        _allocator.RemoveAgent(id);
        _allocator.AddAgent(id, info.Hostname, total, agent.Tasks.Values
            .Where(t => !t.IsTerminal)
            .GroupBy(t => t.FrameworkId)
            .Select(g => new KeyValuePair<FrameworkId, ResourceBag>(g.Key, g.Aggregate(ResourceBag.Empty, (sum, t) => sum.Add(t.Resources)))));
        if (agent.Deactivated)
        {
            _allocator.SetAgentActive(id, false);
        }

        var stream = new Streams.EventStream(
            Guid.NewGuid().ToString(), _time, _options.AgentHeartbeatInterval, new AgentEvent { Type = AgentEventType.HEARTBEAT });
        agent.Stream = stream;
        stream.Send(new AgentEvent
        {
            Type = AgentEventType.SUBSCRIBED,
            Subscribed = new AgentSubscribed
            {
                AgentId = id,
                HeartbeatIntervalSeconds = _options.AgentHeartbeatInterval.TotalSeconds,
                MasterInfo = Info,
                LeaderTerm = _options.LeaderTerm,
                UsageUrl = _options.UsageUrl,
            },
        });
        foreach (var kill in kills)
        {
            stream.Send(kill);
        }

        _logger.LogInformation("Agent {Id} ({Host}) subscribed with {Resources}", id, info.Hostname, total);
        Count(isNew ? "master/slave_registrations" : "master/slave_reregistrations");
        if (isNew)
        {
            PublishAgentAdded(agent);
        }

        RequestAllocation();
        return new AgentSubscription(null, stream, id);
    }

    /// <summary>On (re)registration the agent's report is the truth about its tasks: unknown ones are
    /// adopted (after a master restart), and ones it no longer has are lost. Returns the kills to send once
    /// the agent's stream is open.</summary>
    private List<AgentEvent> ReconcileAgentTasks(AgentEntity agent, List<AgentTask> reported)
    {
        var kills = new List<AgentEvent>();
        var seen = new HashSet<(FrameworkId, TaskId)>();
        foreach (var report in reported)
        {
            if (report.FrameworkId is not { } frameworkId || report.Task?.TaskId is not { } taskId || report.State is not { } state)
            {
                continue;
            }

            seen.Add((frameworkId, taskId));
            if (agent.Tasks.TryGetValue((frameworkId, taskId), out var known))
            {
                // Back from unreachable: the agent's word on the task's state counts again.
                if (known.State == TaskState.TASK_UNREACHABLE)
                {
                    known.State = state;
                }

                continue;
            }

            if (TaskStates.IsTerminal(state))
            {
                continue;
            }

            // Frameworks that are not partition-aware were told TASK_LOST when the agent became unreachable:
            // as in Mesos, those tasks are killed when it comes back rather than resurrected.
            if (_lostWhileUnreachable.Remove((frameworkId, taskId)))
            {
                kills.Add(new AgentEvent
                {
                    Type = AgentEventType.KILL_TASK,
                    KillTask = new KillTask { FrameworkId = frameworkId, TaskId = taskId, KillPolicy = report.Task.KillPolicy },
                });
                continue;
            }

            ResourceBag resources;
            try
            {
                resources = ResourceBag.FromWire(report.Task.Resources);
            }
            catch (ResourceFormatException)
            {
                continue;
            }

            var role = _frameworks.TryGetValue(frameworkId, out var owner) ? owner.Roles is [var first, ..] ? first : "*" : "*";
            var task = new TaskEntity(report.Task, frameworkId, agent.Id, resources.WithAllocationRole(role), role) { State = state };
            agent.Tasks[(frameworkId, taskId)] = task;
            agent.Used = agent.Used.Add(task.Resources);
            owner?.Tasks.TryAdd(taskId, task);
            PublishTaskAdded(task);
        }

        foreach (var (key, task) in agent.Tasks.ToList())
        {
            if (!seen.Contains(key) && !task.IsTerminal)
            {
                task.State = TaskState.TASK_LOST;
                ReleaseTaskResources(task);
                if (_frameworks.TryGetValue(task.FrameworkId, out var framework))
                {
                    SendMasterUpdate(framework, task.Id, agent.Id, TaskState.TASK_LOST, TaskStatusReason.REASON_AGENT_RESTARTED, "Task is not known to its agent any more");
                }

                ForgetTask(task);
            }
        }

        return kills;
    }

    private CallResult HandleAgentCall(AgentCall call, string? streamId)
    {
        if (call.AgentId is null)
        {
            return CallResult.BadRequest("Expecting 'agent_id' to be present");
        }

        if (!_agents.TryGetValue(call.AgentId, out var agent))
        {
            return CallResult.BadRequest("Agent cannot be found");
        }

        if (!agent.Connected)
        {
            return CallResult.Forbidden("Agent is not subscribed");
        }

        if (streamId != agent.Stream!.StreamId)
        {
            return CallResult.BadRequest("The 'Mesos-Stream-Id' header is missing or does not match the agent's stream");
        }

        switch (call.Type)
        {
            case AgentCallType.UPDATE when call.Update?.Status?.TaskId is null || call.Update.Status.State is null || call.Update.FrameworkId is null:
                return CallResult.BadRequest("Expecting 'update.framework_id', 'update.status.task_id' and 'update.status.state' to be present");
            case AgentCallType.UPDATE:
                ApplyUpdate(agent, call.Update.FrameworkId, call.Update.Status, call.Update.Sandbox);
                return CallResult.Accepted;
            case AgentCallType.MESSAGE when call.Message is not { FrameworkId: not null, ExecutorId: not null, Data: not null }:
                return CallResult.BadRequest("Expecting 'message.framework_id', 'message.executor_id' and 'message.data' to be present");
            case AgentCallType.MESSAGE:
                RelayExecutorMessage(agent, call.Message);
                return CallResult.Accepted;
            default:
                return CallResult.BadRequest($"Unknown agent call type {call.Type}");
        }
    }

    /// <summary>A status update from an agent: record it on the task, release resources on a terminal state
    /// (not on acknowledgement, as in Mesos), and forward it to the framework with its uuid.</summary>
    private void ApplyUpdate(AgentEntity agent, FrameworkId frameworkId, TaskStatus status, string? sandbox = null)
    {
        status.AgentId ??= agent.Id;
        status.ExecutorId ??= new ExecutorId(status.TaskId!.Value);
        status.Timestamp ??= Now();

        Count("master/messages_status_update");
        if (agent.Tasks.TryGetValue((frameworkId, status.TaskId!), out var task))
        {
            Count("master/valid_status_updates");
            var wasTerminal = task.IsTerminal;
            task.Sandbox ??= sandbox;
            task.State = status.State!.Value;
            task.Statuses.Add(status);
            PublishTaskUpdated(task, status);
            if (status.Uuid is not null)
            {
                task.UnacknowledgedStatus = status;
            }

            if (!wasTerminal && task.IsTerminal)
            {
                Count($"master/tasks_{task.State.ToString()[5..].ToLowerInvariant()}");
                ReleaseTaskResources(task);
                CheckDrained(agent);
            }
        }

        else
        {
            Count("master/invalid_status_updates");
        }

        if (_frameworks.TryGetValue(frameworkId, out var framework))
        {
            SendToFramework(framework, new Event { Type = EventType.UPDATE, Update = new UpdateEvent { Status = status } });
            if (task is { IsTerminal: true } && status.Uuid is null)
            {
                ForgetTask(task);
            }
        }
    }

    /// <summary>An executor's message goes to its framework as MESSAGE, best effort as in Mesos.</summary>
    private void RelayExecutorMessage(AgentEntity agent, FrameworkMessage message)
    {
        if (_frameworks.TryGetValue(message.FrameworkId!, out var framework) && framework.Connected)
        {
            Count("master/valid_executor_to_framework_messages");
            SendToFramework(framework, new Event
            {
                Type = EventType.MESSAGE,
                Message = new MessageEvent { AgentId = agent.Id, ExecutorId = message.ExecutorId, Data = message.Data },
            });
        }
        else
        {
            Count("master/invalid_executor_to_framework_messages");
        }
    }

    private void ReleaseTaskResources(TaskEntity task)
    {
        if (_agents.TryGetValue(task.AgentId, out var agent))
        {
            agent.Used = agent.Used.Subtract(task.Resources);
        }

        _allocator.RecoverResources(task.FrameworkId, task.AgentId, task.Resources);
        if (agent is not null)
        {
            ReleaseExecutorIfIdle(agent, task);
        }
        RequestAllocation();
    }

    private static void SendToAgent(AgentEntity agent, AgentEvent @event)
    {
        if (agent.Stream is { IsClosed: false } stream)
        {
            stream.Send(@event);
        }
    }
}
