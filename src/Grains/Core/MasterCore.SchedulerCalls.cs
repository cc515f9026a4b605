using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

// Every scheduler call but SUBSCRIBE: the envelope checks in Mesos's order, then dispatch.
public sealed partial class MasterCore
{
    public Task<CallResult> HandleSchedulerCallAsync(Call call, string? streamId) =>
        _loop.InvokeAsync(() => HandleSchedulerCall(call, streamId));

    private async Task<CallResult> HandleSchedulerCall(Call call, string? streamId)
    {
        if (call.FrameworkId is null)
        {
            return CallResult.BadRequest("Expecting 'framework_id' to be present");
        }

        if (BodyError(call) is { } bodyError)
        {
            return bodyError;
        }

        if (!_frameworks.TryGetValue(call.FrameworkId, out var framework))
        {
            return CallResult.BadRequest("Framework cannot be found");
        }

        if (!framework.Connected)
        {
            return CallResult.Forbidden("Framework is not subscribed");
        }

        if (streamId is null)
        {
            return CallResult.BadRequest("All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        }

        if (streamId != framework.Stream!.StreamId)
        {
            return CallResult.BadRequest(
                $"The stream ID '{streamId}' included in this request didn't match the stream ID currently associated with framework ID {framework.Id}");
        }

        Count(call.Type switch
        {
            CallType.ACCEPT => "master/messages_launch_tasks",
            CallType.DECLINE => "master/messages_decline_offers",
            CallType.REVIVE => "master/messages_revive_offers",
            CallType.SUPPRESS => "master/messages_suppress_offers",
            CallType.KILL => "master/messages_kill_task",
            CallType.ACKNOWLEDGE => "master/messages_status_update_acknowledgement",
            CallType.RECONCILE => "master/messages_reconcile_tasks",
            CallType.TEARDOWN => "master/messages_unregister_framework",
            CallType.MESSAGE => "master/messages_framework_to_executor",
            _ => $"master/messages_{call.Type.ToString()!.ToLowerInvariant()}",
        });
        switch (call.Type)
        {
            case CallType.TEARDOWN:
                await RemoveFrameworkAsync(framework, "the framework asked to be torn down").ConfigureAwait(false);
                return CallResult.Accepted;
            case CallType.ACCEPT:
                Accept(framework, call.Accept!);
                return CallResult.Accepted;
            case CallType.DECLINE:
                Decline(framework, call.Decline!.OfferIds ?? [], call.Decline.Filters);
                return CallResult.Accepted;
            case CallType.REVIVE:
                Revive(framework, RolesOf(call.Revive?.Roles, call.Revive?.Role));
                return CallResult.Accepted;
            case CallType.SUPPRESS:
                Suppress(framework, RolesOf(call.Suppress?.Roles, null));
                return CallResult.Accepted;
            case CallType.KILL:
                Kill(framework, call.Kill!);
                return CallResult.Accepted;
            case CallType.ACKNOWLEDGE:
                Acknowledge(framework, call.Acknowledge!);
                return CallResult.Accepted;
            case CallType.RECONCILE:
                Reconcile(framework, call.Reconcile!.Tasks ?? []);
                return CallResult.Accepted;
            case CallType.SHUTDOWN:
                ShutdownExecutor(framework, call.Shutdown!);
                return CallResult.Accepted;
            case CallType.MESSAGE:
                ForwardMessage(framework, call.Message!);
                return CallResult.Accepted;
            case CallType.REQUEST:
                // Mesos's allocator ignores resource requests; so does this one.
                return CallResult.Accepted;
            case CallType.UPDATE_FRAMEWORK:
                return await UpdateFrameworkAsync(framework, call.UpdateFramework!).ConfigureAwait(false);
            case CallType.ACCEPT_INVERSE_OFFERS or CallType.DECLINE_INVERSE_OFFERS:
                // This master sends no inverse offers (maintenance drains agents instead), so any ID is stale.
                return CallResult.Accepted;
            case CallType.ACKNOWLEDGE_OPERATION_STATUS:
                return CallResult.Accepted;
            case CallType.RECONCILE_OPERATIONS:
                ReconcileOperations(framework, call.ReconcileOperations!);
                return CallResult.Accepted;
            default:
                return new CallResult(501, "Received an unknown call type");
        }
    }

    /// <summary>The per-type body must be present (REVIVE's and SUPPRESS's are optional), as Mesos checks.</summary>
    private static CallResult? BodyError(Call call)
    {
        static CallResult Missing(string field) => CallResult.BadRequest($"Expecting '{field}' to be present");

        switch (call.Type)
        {
            case CallType.ACCEPT when call.Accept is null:
                return Missing("accept");
            case CallType.DECLINE when call.Decline is null:
                return Missing("decline");
            case CallType.KILL when call.Kill is null:
                return Missing("kill");
            case CallType.KILL when call.Kill.TaskId is null:
                return CallResult.BadRequest("Failed to convert JSON into Call protobuf: Missing required fields: kill.task_id");
            case CallType.ACKNOWLEDGE when call.Acknowledge is null:
                return Missing("acknowledge");
            case CallType.ACKNOWLEDGE:
                var ack = call.Acknowledge;
                if (ack.AgentId is null || ack.TaskId is null || ack.Uuid is null)
                {
                    return CallResult.BadRequest(
                        "Failed to convert JSON into Call protobuf: Missing required fields: acknowledge.agent_id, acknowledge.task_id, acknowledge.uuid");
                }

                return ack.Uuid.Length == 16 ? null : CallResult.BadRequest("Not a valid UUID");
            case CallType.RECONCILE when call.Reconcile is null:
                return Missing("reconcile");
            case CallType.SHUTDOWN when call.Shutdown is null:
                return Missing("shutdown");
            case CallType.SHUTDOWN when call.Shutdown.ExecutorId is null || call.Shutdown.AgentId is null:
                return CallResult.BadRequest("Failed to convert JSON into Call protobuf: Missing required fields: shutdown.executor_id, shutdown.agent_id");
            case CallType.MESSAGE when call.Message is null:
                return Missing("message");
            case CallType.MESSAGE when call.Message.AgentId is null || call.Message.ExecutorId is null || call.Message.Data is null:
                return CallResult.BadRequest("Failed to convert JSON into Call protobuf: Missing required fields: message.agent_id, message.executor_id, message.data");
            case CallType.REQUEST when call.Request is null && call.Requests is null:
                return Missing("request");
            case CallType.UPDATE_FRAMEWORK when call.UpdateFramework?.FrameworkInfo is null:
                return Missing("update_framework");
            case CallType.ACCEPT_INVERSE_OFFERS when call.AcceptInverseOffers is null:
                return Missing("accept_inverse_offers");
            case CallType.DECLINE_INVERSE_OFFERS when call.DeclineInverseOffers is null:
                return Missing("decline_inverse_offers");
            case CallType.ACKNOWLEDGE_OPERATION_STATUS when call.AcknowledgeOperationStatus is null:
                return Missing("acknowledge_operation_status");
            case CallType.ACKNOWLEDGE_OPERATION_STATUS when call.AcknowledgeOperationStatus.OperationId is null || call.AcknowledgeOperationStatus.Uuid is null:
                return CallResult.BadRequest("Failed to convert JSON into Call protobuf: Missing required fields: acknowledge_operation_status.uuid, acknowledge_operation_status.operation_id");
            case CallType.RECONCILE_OPERATIONS when call.ReconcileOperations is null:
                return Missing("reconcile_operations");
            default:
                return null;
        }
    }

    private static List<string>? RolesOf(List<string>? roles, string? role) =>
        roles is { Count: > 0 } ? roles : role is null ? null : [role];

    private void Revive(FrameworkEntity framework, List<string>? roles)
    {
        foreach (var role in roles ?? [.. framework.Roles])
        {
            framework.SuppressedRoles.Remove(role);
        }

        _allocator.Revive(framework.Id, roles);
        RequestAllocation();
    }

    private void Suppress(FrameworkEntity framework, List<string>? roles)
    {
        foreach (var role in roles ?? [.. framework.Roles])
        {
            framework.SuppressedRoles.Add(role);
        }

        _allocator.Suppress(framework.Id, roles);
    }

    private void Kill(FrameworkEntity framework, KillCall kill)
    {
        if (!framework.Tasks.TryGetValue(kill.TaskId!, out var task) || task.IsTerminal)
        {
            // An unknown task is answered the way reconciliation would answer it.
            Reconcile(framework, [new ReconcileTask { TaskId = kill.TaskId, AgentId = kill.AgentId }]);
            return;
        }

        if (_agents.TryGetValue(task.AgentId, out var agent))
        {
            SendToAgent(agent, new AgentEvent
            {
                Type = AgentEventType.KILL_TASK,
                KillTask = new KillTask { FrameworkId = framework.Id, TaskId = task.Id, KillPolicy = kill.KillPolicy ?? task.Info.KillPolicy },
            });
        }
    }

    private void Acknowledge(FrameworkEntity framework, AcknowledgeCall ack)
    {
        if (!framework.Tasks.TryGetValue(ack.TaskId!, out var task))
        {
            Count("master/invalid_status_update_acknowledgements");
            return;
        }

        if (task.UnacknowledgedStatus?.Uuid is { } pending && pending.AsSpan().SequenceEqual(ack.Uuid))
        {
            task.UnacknowledgedStatus = null;
        }

        Count("master/valid_status_update_acknowledgements");

        if (_agents.TryGetValue(ack.AgentId!, out var agent))
        {
            SendToAgent(agent, new AgentEvent
            {
                Type = AgentEventType.ACKNOWLEDGE,
                Acknowledge = new AcknowledgeUpdate { FrameworkId = framework.Id, TaskId = task.Id, Uuid = ack.Uuid },
            });
        }

        if (task.IsTerminal && task.UnacknowledgedStatus is null)
        {
            ForgetTask(task);
        }
    }

    /// <summary>Explicit reconciliation answers each named task; implicit (no tasks) answers every task the
    /// master knows for the framework. Answers come from the master: no uuid, nothing to acknowledge.</summary>
    private void Reconcile(FrameworkEntity framework, List<ReconcileTask> tasks)
    {
        if (tasks.Count == 0)
        {
            foreach (var task in framework.Tasks.Values.Where(t => !t.IsTerminal))
            {
                SendMasterUpdate(framework, task.Id, task.AgentId, task.State, TaskStatusReason.REASON_RECONCILIATION, "Reconciliation: Latest task state");
            }

            return;
        }

        foreach (var query in tasks.Where(t => t.TaskId is not null))
        {
            if (framework.Tasks.TryGetValue(query.TaskId!, out var known))
            {
                SendMasterUpdate(framework, known.Id, known.AgentId, known.State, TaskStatusReason.REASON_RECONCILIATION, "Reconciliation: Latest task state");
            }
            else if (query.AgentId is { } agentId && _agents.ContainsKey(agentId))
            {
                SendMasterUpdate(framework, query.TaskId!, agentId, TaskState.TASK_GONE, TaskStatusReason.REASON_RECONCILIATION, "Reconciliation: Task is unknown to the agent");
            }
            else
            {
                SendMasterUpdate(framework, query.TaskId!, query.AgentId, TaskState.TASK_UNKNOWN, TaskStatusReason.REASON_RECONCILIATION, "Reconciliation: Task is unknown");
            }
        }
    }

    /// <summary>A status update generated by the master: SOURCE_MASTER, no uuid. Frameworks that are not
    /// PARTITION_AWARE see TASK_LOST in place of the newer states.</summary>
    private void SendMasterUpdate(
        FrameworkEntity framework, TaskId taskId, AgentId? agentId, TaskState state, TaskStatusReason reason, string message)
    {
        if (!framework.PartitionAware && state is TaskState.TASK_DROPPED or TaskState.TASK_UNREACHABLE
                or TaskState.TASK_GONE or TaskState.TASK_GONE_BY_OPERATOR or TaskState.TASK_UNKNOWN)
        {
            state = TaskState.TASK_LOST;
        }

        SendToFramework(framework, new Event
        {
            Type = EventType.UPDATE,
            Update = new UpdateEvent
            {
                Status = new TaskStatus
                {
                    TaskId = taskId,
                    State = state,
                    Source = TaskStatusSource.SOURCE_MASTER,
                    Reason = reason,
                    Message = message,
                    AgentId = agentId,
                    Timestamp = Now(),
                },
            },
        });
    }

    /// <summary>Drops a terminal task from the live tables, keeping it among the framework's completed tasks.</summary>
    private void ForgetTask(TaskEntity task)
    {
        if (_frameworks.TryGetValue(task.FrameworkId, out var framework) && framework.Tasks.Remove(task.Id))
        {
            framework.CompletedTasks.Enqueue(task);
            while (framework.CompletedTasks.Count > _options.MaxCompletedTasksPerFramework)
            {
                framework.CompletedTasks.Dequeue();
            }
        }

        if (_agents.TryGetValue(task.AgentId, out var agent))
        {
            agent.Tasks.Remove((task.FrameworkId, task.Id));
        }
    }
}
