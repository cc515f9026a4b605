using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Entities;

/// <summary>The master's view of a task (mesos.v1.Task): its info, where it runs, its latest state and the
/// history of its statuses.</summary>
public sealed class TaskEntity
{
    public TaskEntity(TaskInfo info, FrameworkId frameworkId, AgentId agentId, ResourceBag resources, string role)
    {
        Info = info;
        FrameworkId = frameworkId;
        AgentId = agentId;
        Resources = resources;
        Role = role;
        ExecutorId = new ExecutorId(info.TaskId!.Value);
    }

    public TaskInfo Info { get; }

    public TaskId Id => Info.TaskId!;

    /// <summary>The executor the task runs under: the task's own ID for a command task, the group's executor
    /// for a task group.</summary>
    public ExecutorId ExecutorId { get; init; } = null!;

    public FrameworkId FrameworkId { get; }

    public AgentId AgentId { get; }

    /// <summary>With the allocation role of the offer it was launched from.</summary>
    public ResourceBag Resources { get; }

    public string Role { get; }

    public TaskState State { get; set; } = TaskState.TASK_STAGING;

    /// <summary>The sandbox directory on the agent, as the agent reported it.</summary>
    public string? Sandbox { get; set; }

    public List<TaskStatus> Statuses { get; } = [];

    /// <summary>The latest update that still waits for the framework's acknowledgement.</summary>
    public TaskStatus? UnacknowledgedStatus { get; set; }

    public bool IsTerminal => TaskStates.IsTerminal(State);
}
