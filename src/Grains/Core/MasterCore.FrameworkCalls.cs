using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

// Scheduler calls beyond offers and tasks: UPDATE_FRAMEWORK, SHUTDOWN, MESSAGE, operation reconciliation.
public sealed partial class MasterCore
{
    private const int MaxOperationsPerFramework = 1000;
    private readonly Dictionary<(FrameworkId Framework, OperationId Operation), OperationStatus> _operations = [];

    /// <summary>UPDATE_FRAMEWORK: all or nothing; principal, user and checkpoint may not change; offers in roles
    /// the framework leaves are rescinded.</summary>
    private async Task<CallResult> UpdateFrameworkAsync(FrameworkEntity framework, UpdateFrameworkCall update)
    {
        var info = update.FrameworkInfo!;
        if (!Equals(info.Id, framework.Id))
        {
            return CallResult.BadRequest("'framework_info.id' differs from 'framework_id'");
        }

        if (info.User is null || info.Name is null)
        {
            return CallResult.BadRequest("Failed to convert JSON into Call protobuf: Missing required fields: update_framework.framework_info.user, update_framework.framework_info.name");
        }

        if (info.Principal != framework.Info.Principal)
        {
            return CallResult.BadRequest("Updating 'FrameworkInfo.principal' is unsupported");
        }

        if (info.User != framework.Info.User)
        {
            return CallResult.BadRequest("Updating 'FrameworkInfo.user' is unsupported");
        }

        if ((info.Checkpoint ?? false) != (framework.Info.Checkpoint ?? false))
        {
            return CallResult.BadRequest("Updating 'FrameworkInfo.checkpoint' is unsupported");
        }

        if (SchedulerCallValidation.ValidateFrameworkInfo(info) is { } invalid)
        {
            return CallResult.BadRequest(invalid);
        }

        var suppressed = update.SuppressedRoles ?? [];
        framework.Info = info;
        foreach (var offer in framework.Offers.Values.Where(o => !framework.Roles.Contains(o.Role)).ToList())
        {
            RemoveOffer(offer, rescind: true);
        }

        framework.SuppressedRoles.Clear();
        framework.SuppressedRoles.UnionWith(suppressed);
        _allocator.UpdateFramework(framework.Id, framework.Roles, suppressed);
        await Persist((r, ct) => r.AddFrameworkAsync(framework.Id, info, framework.RegisteredTime, ct)).ConfigureAwait(false);
        PublishOperatorEvent(new OperatorEvent { Type = OperatorEventType.FRAMEWORK_UPDATED, FrameworkUpdated = new FrameworkChanged { Framework = FrameworkView(framework) } });
        RequestAllocation();
        return CallResult.Ok;
    }

    /// <summary>SHUTDOWN asks an agent to stop an executor; a command task's executor is the task itself.</summary>
    private void ShutdownExecutor(FrameworkEntity framework, ShutdownCall shutdown)
    {
        if (_agents.TryGetValue(shutdown.AgentId!, out var agent)
            && agent.Tasks.TryGetValue((framework.Id, new TaskId(shutdown.ExecutorId!.Value)), out var task) && !task.IsTerminal)
        {
            SendToAgent(agent, new AgentEvent
            {
                Type = AgentEventType.KILL_TASK,
                KillTask = new KillTask { FrameworkId = framework.Id, TaskId = task.Id, KillPolicy = task.Info.KillPolicy },
            });
        }
    }

    /// <summary>MESSAGE: best effort, as in Mesos; counted valid when the agent could be told.</summary>
    private void ForwardMessage(FrameworkEntity framework, MessageCall message)
    {
        if (!_agents.TryGetValue(message.AgentId!, out var agent) || !agent.Connected)
        {
            Count("master/invalid_framework_to_executor_messages");
            return;
        }

        Count("master/valid_framework_to_executor_messages");
        SendToAgent(agent, new AgentEvent
        {
            Type = AgentEventType.FRAMEWORK_MESSAGE,
            FrameworkMessage = new FrameworkMessage { FrameworkId = framework.Id, ExecutorId = message.ExecutorId, Data = message.Data },
        });
    }

    /// <summary>Operations with an ID (RESERVE, UNRESERVE) are applied by the master at once; it remembers their
    /// outcome for RECONCILE_OPERATIONS and answers OPERATION_UNKNOWN for any other ID.</summary>
    private void ReconcileOperations(FrameworkEntity framework, ReconcileOperationsCall call)
    {
        foreach (var query in call.Operations ?? [])
        {
            if (query.OperationId is not { } id)
            {
                continue;
            }

            var status = _operations.GetValueOrDefault((framework.Id, id))
                ?? new OperationStatus { OperationId = id, State = OperationState.OPERATION_UNKNOWN, AgentId = query.AgentId, Message = "Operation is unknown" };
            SendToFramework(framework, new Event { Type = EventType.UPDATE_OPERATION_STATUS, UpdateOperationStatus = new UpdateOperationStatusEvent { Status = status } });
        }
    }

    private void RecordOperation(FrameworkEntity framework, OperationId? id, AgentId agent, OperationState state, string? message)
    {
        if (id is null)
        {
            return;
        }

        var status = new OperationStatus { OperationId = id, State = state, AgentId = agent, Message = message };
        if (_operations.Count(o => o.Key.Framework == framework.Id) >= MaxOperationsPerFramework)
        {
            _operations.Remove(_operations.Keys.First(k => k.Framework == framework.Id));
        }

        _operations[(framework.Id, id)] = status;
        SendToFramework(framework, new Event { Type = EventType.UPDATE_OPERATION_STATUS, UpdateOperationStatus = new UpdateOperationStatusEvent { Status = status } });
    }
}
