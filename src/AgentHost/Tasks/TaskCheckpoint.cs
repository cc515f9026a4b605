using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>What the agent must remember about a task to survive its own restart: the task, its sandbox and
/// container, the pid of its executor, and the status updates not yet acknowledged. One file per
/// task under work_dir/meta/tasks, replaced atomically; removed once the terminal update is acknowledged.</summary>
public sealed class TaskCheckpoint
{
    public FrameworkId? FrameworkId { get; set; }

    public FrameworkInfo? Framework { get; set; }

    public TaskInfo? Task { get; set; }

    public ExecutorId? ExecutorId { get; set; }

    public string? Sandbox { get; set; }

    public string? ContainerId { get; set; }

    /// <summary>The name of the task's cgroup, if it has one.</summary>
    public string? CgroupName { get; set; }

    /// <summary>The container's own directory (its writable layer) for a task in an image, removed when it ends.</summary>
    public string? ContainerDirectory { get; set; }

    /// <summary>The pid of the task's mesos-executor.</summary>
    public int? Pid { get; set; }

    /// <summary>The pid of the task's command, the head of its process group.</summary>
    public int? CommandPid { get; set; }

    /// <summary>The executor's start time (from /proc/PID/stat), so a reused pid is not mistaken for it.</summary>
    public long? PidStartTime { get; set; }

    public TaskState? State { get; set; }

    public List<TaskStatus>? PendingUpdates { get; set; }

    /// <summary>Seconds the oldest pending update waits before its next retry: its backoff, kept across restarts.</summary>
    public double? UpdateBackoffSeconds { get; set; }

    public static string Directory(string workDir) => Path.Combine(workDir, "meta", "tasks");

    public static string PathOf(string workDir, FrameworkId framework, TaskId task) =>
        Path.Combine(Directory(workDir), $"{framework.Value}__{task.Value}.json");

    public void Save(string workDir)
    {
        var path = PathOf(workDir, FrameworkId!, Task!.TaskId!);
        System.IO.Directory.CreateDirectory(Directory(workDir));
        AtomicFile.Write(path, MesosJson.SerializeToUtf8(this));
    }

    public static IEnumerable<TaskCheckpoint> LoadAll(string workDir)
    {
        var directory = Directory(workDir);
        if (!System.IO.Directory.Exists(directory))
        {
            yield break;
        }

        AtomicFile.RemoveLeftovers(directory);
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.json"))
        {
            if (MesosJson.Deserialize<TaskCheckpoint>(File.ReadAllBytes(file)) is { FrameworkId: not null, Task.TaskId: not null } checkpoint)
            {
                yield return checkpoint;
            }
        }
    }

    public static void Delete(string workDir, FrameworkId framework, TaskId task)
    {
        var path = PathOf(workDir, framework, task);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>A process's start time in clock ticks since boot, or null when it is gone.</summary>
    public static long? StartTimeOf(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return null;
        }

        try
        {
            var text = File.ReadAllText(stat);
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
