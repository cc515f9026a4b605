using System.Diagnostics;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>One task on this agent: what it is, where its sandbox is, and its latest state.</summary>
public sealed class RunningTask(FrameworkId frameworkId, FrameworkInfo? framework, TaskInfo info, string sandbox, string containerId)
{
    public FrameworkId FrameworkId { get; } = frameworkId;

    public FrameworkInfo? Framework { get; } = framework;

    public TaskInfo Info { get; } = info;

    public TaskId Id => Info.TaskId!;

    /// <summary>The task's own ID for a command task; the group's default executor for a task group.</summary>
    public ExecutorId ExecutorId { get; init; } = new(info.TaskId!.Value);

    /// <summary>The task group it belongs to, if launched with LAUNCH_GROUP.</summary>
    public IReadOnlyList<RunningTask>? Group { get; set; }

    public string Sandbox { get; } = sandbox;

    public string ContainerId { get; } = containerId;

    public TaskState State { get; set; } = TaskState.TASK_STAGING;

    public Process? Process { get; set; }

    /// <summary>The start time (from /proc/PID/stat) of <see cref="Process"/>, read while the executor is still
    /// starting up so that the checkpoint written once it runs does not wait for it.</summary>
    public long? ProcessStartTime { get; set; }

    /// <summary>The task's mesos-executor pid when the task was adopted after an agent restart (no Process then).</summary>
    public int? AdoptedPid { get; set; }

    /// <summary>The pid of the task's command (of its container's init, for a container task), as its executor
    /// reported it: its process group is SIGKILLed with the executor's after a kill's grace period, which matters
    /// where no cgroup holds the task.</summary>
    public int? CommandPid { get; set; }

    public string? CgroupName { get; set; }

    /// <summary>What is on disk for this task, kept here so that each change writes the file without reading it.</summary>
    public TaskCheckpoint? Checkpoint { get; set; }

    /// <summary>The task's cgroup, when the agent isolates with cgroups.</summary>
    public Isolation.TaskCgroup? Cgroup { get; set; }

    /// <summary>The prestarted executor taken for this task when its RUN_TASK arrived, until its launch hands
    /// the task over (or lets it go).</summary>
    public StandbyExecutor? Standby { get; set; }

    /// <summary>The image root filesystem and writable layer of a container task; null for a host task.</summary>
    public Containers.ContainerRootFs? Container { get; set; }

    /// <summary>Why the agent killed the task itself (a failed health check), reported with TASK_KILLED.</summary>
    public string? KillMessage { get; set; }

    /// <summary>Set once a kill has begun, so the exit is reported as TASK_KILLED.</summary>
    public bool Killing { get; set; }
}
