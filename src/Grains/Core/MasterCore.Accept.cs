using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.Grains.Core;

// ACCEPT and DECLINE: validate the offers, validate and launch each task, return what is left.
public sealed partial class MasterCore
{
    private void Accept(FrameworkEntity framework, AcceptCall accept)
    {
        var offerIds = accept.OfferIds ?? [];
        var operations = accept.Operations ?? [];
        var launches = operations.Where(o => o.Type == OperationType.LAUNCH).SelectMany(o => o.Launch?.TaskInfos ?? []).ToList();

        if (ValidateOffers(framework, offerIds) is { } offerError)
        {
            // Mesos answers each task of an ACCEPT with invalid offers; the valid offers among them are recovered.
            foreach (var id in offerIds.Distinct())
            {
                if (_offers.TryGetValue(id, out var offer) && offer.FrameworkId == framework.Id)
                {
                    RemoveOffer(offer, rescind: false);
                }
            }

            foreach (var task in launches.Where(t => t.TaskId is not null))
            {
                SendMasterUpdate(framework, task.TaskId!, task.AgentId, TaskState.TASK_DROPPED, TaskStatusReason.REASON_INVALID_OFFERS, offerError);
            }

            RequestAllocation();
            return;
        }

        var offers = offerIds.Select(id => _offers[id]).ToList();
        var agent = _agents[offers[0].AgentId];
        var role = offers[0].Role;
        var remaining = ResourceBag.Empty;
        foreach (var offer in offers)
        {
            remaining = remaining.Add(offer.Resources);
            ConsumeOffer(offer);
        }

        var groupBatch = new HashSet<TaskId>();
        foreach (var operation in operations)
        {
            if (operation.Type is OperationType.RESERVE or OperationType.UNRESERVE)
            {
                remaining = ApplyReservation(framework, agent, operation, remaining, role);
                continue;
            }

            if (operation.Type is OperationType.CREATE or OperationType.DESTROY)
            {
                remaining = ApplyVolumes(framework, agent, operation, remaining, role);
                continue;
            }

            if (operation.Type == OperationType.LAUNCH_GROUP)
            {
                remaining = LaunchGroup(framework, agent, operation.LaunchGroup, remaining, role, groupBatch);
                continue;
            }

            if (operation.Type != OperationType.LAUNCH)
            {
                RecordOperation(framework, operation.Id, agent.Id, OperationState.OPERATION_UNSUPPORTED, $"{operation.Type} is not supported by this master yet");
                _logger.LogWarning("Framework {Id} sent a {Type} operation, which this master does not apply yet", framework.Id, operation.Type);
                continue;
            }

            var batch = new HashSet<TaskId>();
            foreach (var task in operation.Launch?.TaskInfos ?? [])
            {
                if (ValidateTask(framework, agent, task, remaining, role, batch, out var resources) is { } taskError)
                {
                    if (task.TaskId is not null)
                    {
                        SendMasterUpdate(framework, task.TaskId, agent.Id, TaskState.TASK_ERROR, TaskStatusReason.REASON_TASK_INVALID, taskError);
                    }

                    continue;
                }

                remaining = remaining.Subtract(resources);
                batch.Add(task.TaskId!);
                Launch(framework, agent, task, resources, role);
            }
        }

        // What the framework did not use counts as declined, with its filter.
        _allocator.RecoverResources(framework.Id, agent.Id, remaining, Filters.EffectiveRefusal(accept.Filters));

        RequestAllocation();
    }

    private void Decline(FrameworkEntity framework, List<OfferId> offerIds, Filters? filters)
    {
        var refusal = Filters.EffectiveRefusal(filters);
        foreach (var id in offerIds)
        {
            if (_offers.TryGetValue(id, out var offer) && offer.FrameworkId == framework.Id)
            {
                RemoveOffer(offer, rescind: false, refusal);
            }
        }

        RequestAllocation();
    }

    private string? ValidateOffers(FrameworkEntity framework, List<OfferId> offerIds)
    {
        if (offerIds.Count == 0)
        {
            return "No offers specified";
        }

        if (offerIds.Distinct().Count() != offerIds.Count)
        {
            return "Duplicate offer IDs in the call";
        }

        AgentId? agentId = null;
        string? role = null;
        foreach (var id in offerIds)
        {
            if (!_offers.TryGetValue(id, out var offer))
            {
                return $"Offer {id} is no longer valid";
            }

            if (offer.FrameworkId != framework.Id)
            {
                return $"Offer {id} has invalid framework {offer.FrameworkId} while framework {framework.Id} is expected";
            }

            if (agentId is not null && offer.AgentId != agentId)
            {
                return "Aggregated offers must belong to one single agent";
            }

            if (role is not null && offer.Role != role)
            {
                return "Aggregated offers must be allocated to the same role";
            }

            if (!_agents.TryGetValue(offer.AgentId, out var agent) || !agent.Connected)
            {
                return $"Agent {offer.AgentId} is not connected";
            }

            agentId = offer.AgentId;
            role = offer.Role;
        }

        return null;
    }

    /// <summary>Checks a task against Mesos's rules and the resources left in the offers (allocated to
    /// <paramref name="role"/>); on success, <paramref name="resources"/> are the task's, allocated to that role.</summary>
    private static string? ValidateTask(
        FrameworkEntity framework, AgentEntity agent, TaskInfo task, ResourceBag offered, string role, HashSet<TaskId> batch, out ResourceBag resources)
    {
        resources = ResourceBag.Empty;
        if (task.TaskId is null || task.Name is null || task.AgentId is null)
        {
            return "Task is missing one of the required fields task_id, name, agent_id";
        }

        if (SchedulerCallValidation.ValidateId(task.TaskId.Value) is { } idError)
        {
            return $"Task ID is invalid: {idError}";
        }

        if (framework.Tasks.TryGetValue(task.TaskId, out var existing) && !existing.IsTerminal || batch.Contains(task.TaskId))
        {
            return $"Task has duplicate ID: {task.TaskId}";
        }

        if (task.AgentId != agent.Id)
        {
            return $"Task uses agent ID {task.AgentId} which does not match offer's agent ID {agent.Id}";
        }

        if ((task.Command is null) == (task.Executor is null))
        {
            return "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present";
        }

        if (task.Executor is not null)
        {
            return "Custom executors are not supported by this agent yet; use a command task";
        }

        if (task.Command!.Shell != false && string.IsNullOrEmpty(task.Command.Value))
        {
            return "Command task has no command value";
        }

        if (task.HealthCheck is { } check && ValidateHealthCheck(check) is { } checkError)
        {
            return checkError;
        }

        if (TaskResources.Read(task.Resources, framework.MultiRole, role, out resources) is { } resourceError)
        {
            return resourceError;
        }

        if (resources.IsEmpty)
        {
            return "Task uses no resources";
        }

        return offered.Contains(resources)
            ? null
            : $"Task uses more resources {resources.WithAllocationRole(null)} than available {offered.WithAllocationRole(null)}";
    }

    /// <summary>Mesos's health check validation: a type, and what that type needs.</summary>
    private static string? ValidateHealthCheck(HealthCheck check) => check.Type switch
    {
        null or HealthCheckType.UNKNOWN => "HealthCheck must specify 'type'",
        HealthCheckType.COMMAND when string.IsNullOrEmpty(check.Command?.Value) => "Expecting 'command' to be set for COMMAND health check",
        HealthCheckType.HTTP when check.Http?.Port is not (> 0 and <= 65535) => "Expecting 'http' with a valid 'port' for HTTP health check",
        HealthCheckType.TCP when check.Tcp?.Port is not (> 0 and <= 65535) => "Expecting 'tcp' with a valid 'port' for TCP health check",
        _ when check.DelaySeconds < 0 || check.IntervalSeconds < 0 || check.TimeoutSeconds < 0 || check.GracePeriodSeconds < 0 || check.ConsecutiveFailures < 0
            => "Health check durations and counts must not be negative",
        _ => null,
    };

    private void Launch(FrameworkEntity framework, AgentEntity agent, TaskInfo info, ResourceBag resources, string role)
    {
        var task = new TaskEntity(info, framework.Id, agent.Id, resources, role);
        framework.Tasks[task.Id] = task;
        agent.Tasks[(framework.Id, task.Id)] = task;
        agent.Used = agent.Used.Add(resources);
        PublishTaskAdded(task);
        SendToAgent(agent, new AgentEvent
        {
            Type = AgentEventType.RUN_TASK,
            RunTask = new RunTask { Framework = framework.Info, FrameworkId = framework.Id, Task = info },
        });
        _logger.LogInformation("Launching task {Task} of framework {Framework} on agent {Agent}", task.Id, framework.Id, agent.Id);
    }
}
