using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.Grains.Core;

// The operator API's mutations, with Mesos's status codes: weights, quota, teardown, agent lifecycle.
public sealed partial class MasterCore
{
    private readonly HashSet<AgentId> _goneAgents = [];
    private readonly HashSet<(FrameworkId Framework, TaskId Task)> _lostWhileUnreachable = [];
    private readonly HashSet<string> _downMachines = new(StringComparer.Ordinal);

    public Task<CallResult> UpdateWeightsAsync(UpdateWeightsCall call) => _loop.InvokeAsync(async () =>
    {
        var infos = call.WeightInfos ?? [];
        foreach (var info in infos)
        {
            if ((info.Role is null ? "missing" : RoleName.Validate(info.Role)) is { } roleError)
            {
                return CallResult.BadRequest($"Invalid role '{info.Role}': {roleError}");
            }

            if (info.Weight is not { } weight || !(weight > 0) || double.IsInfinity(weight))
            {
                return CallResult.BadRequest($"Invalid weight '{info.Weight}' for role '{info.Role}': weights must be positive numbers");
            }
        }

        var now = _time.GetUtcNow();
        foreach (var info in infos)
        {
            _allocator.SetWeight(info.Role!, info.Weight!.Value);
            await Persist((r, ct) => r.SetWeightAsync(info.Role!, info.Weight!.Value, now, ct)).ConfigureAwait(false);
        }

        RequestAllocation();
        return CallResult.Ok;
    });

    public Task<CallResult> UpdateQuotaAsync(UpdateQuotaCall call) => _loop.InvokeAsync(async () =>
    {
        var parsed = new List<(string Role, ResourceQuantities Guarantee, ResourceQuantities Limit)>();
        foreach (var config in call.QuotaConfigs ?? [])
        {
            if (config.Role is null || config.Role == "*" || RoleName.Validate(config.Role) is not null)
            {
                return CallResult.BadRequest($"Invalid role '{config.Role}' in quota config: {(config.Role is null ? "missing" : RoleName.Validate(config.Role) ?? "quota cannot be set on '*'")}");
            }

            if (Quantities(config.Guarantees) is not { } guarantee || Quantities(config.Limits) is not { } limit)
            {
                return CallResult.BadRequest($"Invalid quota for role '{config.Role}': amounts must be non-negative finite numbers");
            }

            foreach (var (name, amount) in guarantee.Amounts)
            {
                if (limit.Has(name) && limit[name] < amount)
                {
                    return CallResult.BadRequest($"Invalid quota for role '{config.Role}': guarantee of {name} ({amount}) exceeds its limit ({limit[name]})");
                }
            }

            parsed.Add((config.Role, guarantee, limit));
        }

        if (call.Force != true)
        {
            var total = ResourceQuantities.Of(_agents.Values.Aggregate(ResourceBag.Empty, (sum, a) => sum.Add(a.Total.WithAllocationRole(null))));
            var guarantees = _allocator.RoleConfigs.Where(r => parsed.All(p => p.Role != r.Role)).Select(r => r.Guarantee)
                .Concat(parsed.Select(p => p.Guarantee))
                .Aggregate(ResourceQuantities.Empty, (sum, g) => sum.Add(g));
            if (!total.Contains(guarantees))
            {
                return CallResult.Conflict($"Total quota guarantees '{guarantees}' exceed cluster capacity '{total}' (use 'force' to set them anyway)");
            }
        }

        var now = _time.GetUtcNow();
        foreach (var (role, guarantee, limit) in parsed)
        {
            _allocator.SetQuota(role, guarantee, limit);
        }

        foreach (var config in call.QuotaConfigs ?? [])
        {
            await Persist((r, ct) => r.SetQuotaAsync(config, now, ct)).ConfigureAwait(false);
        }

        RequestAllocation();
        return CallResult.Ok;
    });

    public Task<CallResult> TeardownAsync(FrameworkId? id) => _loop.InvokeAsync(async () =>
    {
        if (id is null || !_frameworks.TryGetValue(id, out var framework))
        {
            return CallResult.BadRequest($"No framework found with specified ID '{id}'");
        }

        await RemoveFrameworkAsync(framework, "torn down by an operator").ConfigureAwait(false);
        return CallResult.Ok;
    });

    public Task<CallResult> DeactivateAgentAsync(AgentId? id) => _loop.InvokeAsync(() =>
    {
        if (id is null || !_agents.TryGetValue(id, out var agent))
        {
            return CallResult.BadRequest($"Agent '{id}' not found");
        }

        Deactivate(agent);
        PersistAgentState(agent.Id, Registry.AgentRegistryState.Deactivated);
        return CallResult.Ok;
    });

    public Task<CallResult> ReactivateAgentAsync(AgentId? id) => _loop.InvokeAsync(() =>
    {
        if (id is null || !_agents.TryGetValue(id, out var agent))
        {
            return CallResult.BadRequest($"Agent '{id}' not found");
        }

        if (!agent.Deactivated)
        {
            return CallResult.BadRequest($"Agent '{id}' is not deactivated");
        }

        if (agent.Drain?.State == DrainState.DRAINING)
        {
            return CallResult.BadRequest($"Agent '{id}' is still draining");
        }

        agent.Deactivated = false;
        agent.Drain = null;
        PersistAgentState(agent.Id, Registry.AgentRegistryState.Active);
        _allocator.SetAgentActive(agent.Id, agent.Connected);
        RequestAllocation();
        return CallResult.Ok;
    });

    /// <summary>DRAIN_AGENT: no more offers from the agent, its tasks killed (within the grace period given),
    /// DRAINED once none runs; with mark_gone the agent is then marked gone.</summary>
    public Task<CallResult> DrainAgentAsync(DrainAgentCall call) => _loop.InvokeAsync(() =>
    {
        if (call.AgentId is null || !_agents.TryGetValue(call.AgentId, out var agent))
        {
            return CallResult.BadRequest($"Agent '{call.AgentId}' not found");
        }

        agent.Drain = new DrainInfo { State = DrainState.DRAINING, Config = new DrainConfig { MaxGracePeriod = call.MaxGracePeriod, MarkGone = call.MarkGone ?? false } };
        Deactivate(agent);
        PersistAgentState(agent.Id, Registry.AgentRegistryState.Draining, agent.Drain.Config);
        var grace = call.MaxGracePeriod is { } max ? new DurationInfo { Nanoseconds = (max.Seconds * 1_000_000_000) + (max.Nanos ?? 0) } : null;
        foreach (var task in agent.Tasks.Values.Where(t => !t.IsTerminal))
        {
            var policy = task.Info.KillPolicy?.GracePeriod is { } own && grace is not null && own.Nanoseconds < grace.Nanoseconds
                ? task.Info.KillPolicy
                : grace is null ? task.Info.KillPolicy : new KillPolicy { GracePeriod = grace };
            SendToAgent(agent, new AgentEvent
            {
                Type = AgentEventType.KILL_TASK,
                KillTask = new KillTask { FrameworkId = task.FrameworkId, TaskId = task.Id, KillPolicy = policy },
            });
        }

        CheckDrained(agent);
        return CallResult.Ok;
    });

    /// <summary>MARK_AGENT_GONE: the agent's tasks are gone (TASK_GONE_BY_OPERATOR), the agent is removed and
    /// refused if it ever comes back. Idempotent.</summary>
    public Task<CallResult> MarkAgentGoneAsync(AgentId? id) => _loop.InvokeAsync(() =>
    {
        if (id is not null && _goneAgents.Contains(id))
        {
            return CallResult.Ok;
        }

        if (id is null || !_agents.TryGetValue(id, out var agent))
        {
            return CallResult.NotFound($"Agent '{id}' not found");
        }

        MarkGone(agent, TaskState.TASK_GONE_BY_OPERATOR, TaskStatusReason.REASON_AGENT_REMOVED_BY_OPERATOR, "Agent was marked gone by an operator");
        return CallResult.Ok;
    });

    /// <summary>START_MAINTENANCE: the machines go down; their agents are removed and refused until STOP_MAINTENANCE.</summary>
    public Task<CallResult> StartMaintenanceAsync(MaintenanceMachinesCall call) => _loop.InvokeAsync(() =>
    {
        var machines = call.Machines ?? [];
        if (machines.Count == 0 || machines.Any(m => string.IsNullOrEmpty(m.Hostname) && string.IsNullOrEmpty(m.Ip)))
        {
            return CallResult.BadRequest("Expecting 'machines' with a hostname or an ip each");
        }

        var now = _time.GetUtcNow();
        foreach (var machine in machines)
        {
            var name = machine.Hostname ?? machine.Ip!;
            _downMachines.Add(name);
            PersistInBackground((r, ct) => r.SetMachineDownAsync(name, true, now, ct));
        }

        foreach (var agent in _agents.Values.Where(IsOnDownMachine).ToList())
        {
            MarkGone(agent, TaskState.TASK_GONE_BY_OPERATOR, TaskStatusReason.REASON_AGENT_REMOVED_BY_OPERATOR, "Agent's machine was put into maintenance");
            _goneAgents.Remove(agent.Id);
            PersistAgentState(agent.Id, Registry.AgentRegistryState.Unreachable);
        }

        return CallResult.Ok;
    });

    public Task<CallResult> StopMaintenanceAsync(MaintenanceMachinesCall call) => _loop.InvokeAsync(() =>
    {
        var now = _time.GetUtcNow();
        foreach (var machine in call.Machines ?? [])
        {
            var name = machine.Hostname ?? machine.Ip ?? string.Empty;
            _downMachines.Remove(name);
            PersistInBackground((r, ct) => r.SetMachineDownAsync(name, false, now, ct));
        }

        return CallResult.Ok;
    });

    public Task<IReadOnlyCollection<string>> GetDownMachinesAsync() => _loop.InvokeAsync(() => (IReadOnlyCollection<string>)[.. _downMachines]);

    private bool IsOnDownMachine(AgentEntity agent) =>
        _downMachines.Contains(agent.Info.Hostname ?? string.Empty) || _downMachines.Contains(agent.Url.Address?.Ip ?? string.Empty);

    private void Deactivate(AgentEntity agent)
    {
        agent.Deactivated = true;
        foreach (var offer in _offers.Values.Where(o => o.AgentId == agent.Id).ToList())
        {
            RemoveOffer(offer, rescind: true);
        }

        _allocator.SetAgentActive(agent.Id, false);
    }

    /// <summary>A draining agent with no task left is DRAINED (and marked gone if asked).</summary>
    private void CheckDrained(AgentEntity agent)
    {
        if (agent.Drain is not { State: DrainState.DRAINING } drain || agent.Tasks.Values.Any(t => !t.IsTerminal))
        {
            return;
        }

        drain.State = DrainState.DRAINED;
        _logger.LogInformation("Agent {Id} is drained", agent.Id);
        if (drain.Config?.MarkGone == true)
        {
            MarkGone(agent, TaskState.TASK_GONE_BY_OPERATOR, TaskStatusReason.REASON_AGENT_REMOVED_BY_OPERATOR, "Agent was drained and marked gone");
        }
    }

    /// <summary>Removes an agent for good: its tasks end in <paramref name="state"/> (master updates), its
    /// offers are rescinded, its stream is closed, and it may not register again.</summary>
    private void MarkGone(AgentEntity agent, TaskState state, TaskStatusReason reason, string message)
    {
        _logger.LogWarning("Removing agent {Id}: {Message}", agent.Id, message);
        foreach (var offer in _offers.Values.Where(o => o.AgentId == agent.Id).ToList())
        {
            RemoveOffer(offer, rescind: true);
        }

        foreach (var task in agent.Tasks.Values.ToList())
        {
            if (!task.IsTerminal && _frameworks.TryGetValue(task.FrameworkId, out var framework))
            {
                SendMasterUpdate(framework, task.Id, agent.Id, state, reason, message);
            }

            if (!task.IsTerminal)
            {
                task.State = state;
            }

            ForgetTask(task);
        }

        agent.UnreachableTimer?.Dispose();
        if (agent.Stream is { } stream)
        {
            stream.SendAndClose(new AgentEvent { Type = AgentEventType.ERROR, Error = message });
        }

        _agents.Remove(agent.Id);
        _goneAgents.Add(agent.Id);
        PersistAgentState(agent.Id, Registry.AgentRegistryState.Gone);
        Count("master/slave_removals");
        Count("master/slave_removals/reason_unregistered");
        _allocator.RemoveAgent(agent.Id);
        PublishAgentRemoved(agent.Id);
        SendAgentLost(agent.Id);
        RequestAllocation();
    }

    private static ResourceQuantities? Quantities(Dictionary<string, QuotaValue>? values)
    {
        if (values is null)
        {
            return ResourceQuantities.Empty;
        }

        var amounts = new List<KeyValuePair<string, FixedPoint>>();
        foreach (var (name, value) in values)
        {
            if (string.IsNullOrEmpty(name) || value is null || !FixedPoint.TryFromDouble(value.Value, out var amount) || amount.IsNegative)
            {
                return null;
            }

            amounts.Add(new(name, amount));
        }

        return ResourceQuantities.Of(amounts);
    }
}
