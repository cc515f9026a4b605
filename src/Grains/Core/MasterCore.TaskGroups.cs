using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

// LAUNCH_GROUP: a task group launched atomically under one default executor.
public sealed partial class MasterCore
{
    /// <summary>Validates and launches a task group. All or nothing: an invalid group answers every task
    /// with TASK_ERROR / REASON_TASK_GROUP_INVALID. The executor's own resources are taken once per agent and
    /// given back with its last task. Returns what is left of the offered resources.</summary>
    private ResourceBag LaunchGroup(FrameworkEntity framework, AgentEntity agent, LaunchGroupOperation? operation, ResourceBag remaining, string role, HashSet<TaskId> batch)
    {
        var tasks = operation?.TaskGroup?.Tasks ?? [];
        var executor = operation?.Executor;
        var error = ValidateGroup(framework, agent, executor, tasks, remaining, role, batch, out var taskResources);

        ResourceBag executorResources = ResourceBag.Empty;
        var total = ResourceBag.Empty;
        if (error is null)
        {
            var key = (framework.Id, executor!.ExecutorId!);
            if (!agent.Executors.ContainsKey(key))
            {
                error = TaskResources.Read(executor.Resources, framework.MultiRole, role, out executorResources);
            }

            total = taskResources.Aggregate(executorResources, (sum, r) => sum.Add(r));
            if (error is null && !remaining.Contains(total))
            {
                error = $"Task group uses more resources {total.WithAllocationRole(null)} than available {remaining.WithAllocationRole(null)}";
            }
        }

        if (error is not null)
        {
            foreach (var task in tasks.Where(t => t.TaskId is not null))
            {
                SendMasterUpdate(framework, task.TaskId!, agent.Id, TaskState.TASK_ERROR, TaskStatusReason.REASON_TASK_GROUP_INVALID, error);
            }

            return remaining;
        }

        var executorId = executor!.ExecutorId!;
        if (!executorResources.IsEmpty || !agent.Executors.ContainsKey((framework.Id, executorId)))
        {
            agent.Executors[(framework.Id, executorId)] = executorResources;
            agent.Used = agent.Used.Add(executorResources);
        }

        for (var i = 0; i < tasks.Count; i++)
        {
            var info = tasks[i];
            var task = new TaskEntity(info, framework.Id, agent.Id, taskResources[i], role) { ExecutorId = executorId };
            batch.Add(task.Id);
            framework.Tasks[task.Id] = task;
            agent.Tasks[(framework.Id, task.Id)] = task;
            agent.Used = agent.Used.Add(task.Resources);
            PublishTaskAdded(task);
        }

        SendToAgent(agent, new AgentEvent
        {
            Type = AgentEventType.RUN_TASK_GROUP,
            RunTaskGroup = new RunTaskGroup { Framework = framework.Info, FrameworkId = framework.Id, Executor = executor, Tasks = tasks },
        });
        return remaining.Subtract(total);
    }

    private static string? ValidateGroup(
        FrameworkEntity framework, AgentEntity agent, ExecutorInfo? executor, List<TaskInfo> tasks, ResourceBag offered, string role, HashSet<TaskId> batch,
        out List<ResourceBag> taskResources)
    {
        taskResources = [];
        if (executor?.ExecutorId is null)
        {
            return "Task group needs an 'executor' with an 'executor_id'";
        }

        if (SchedulerCallValidation.ValidateId(executor.ExecutorId.Value) is { } idError)
        {
            return $"Executor ID is invalid: {idError}";
        }

        if (executor.Type is not (null or "DEFAULT") || executor.Command is not null)
        {
            return "Task groups run under the DEFAULT executor, which has no command";
        }

        if (tasks.Count == 0)
        {
            return "Task group has no tasks";
        }

        var seen = new HashSet<TaskId>(batch);
        foreach (var task in tasks)
        {
            if (ValidateTask(framework, agent, task, offered, role, seen, out var resources) is { } taskError)
            {
                return $"Task {task.TaskId} is invalid: {taskError}";
            }

            seen.Add(task.TaskId!);
            taskResources.Add(resources);
        }

        return null;
    }

    /// <summary>Gives a default executor's resources back once no task of its group is left running.</summary>
    private void ReleaseExecutorIfIdle(AgentEntity agent, TaskEntity task)
    {
        var key = (task.FrameworkId, task.ExecutorId);
        if (!agent.Executors.TryGetValue(key, out var resources)
            || agent.Tasks.Values.Any(t => t.FrameworkId == task.FrameworkId && t.ExecutorId == task.ExecutorId && !t.IsTerminal))
        {
            return;
        }

        agent.Executors.Remove(key);
        agent.Used = agent.Used.Subtract(resources);
        _allocator.RecoverResources(task.FrameworkId, agent.Id, resources);
    }
}
