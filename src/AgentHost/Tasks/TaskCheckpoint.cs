using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>What the agent must remember about a task to survive its own restart: the task, its sandbox and
/// container, the pid of its executor, and the status updates not yet acknowledged. One file per task under
/// work_dir/meta/tasks, removed once the terminal update is acknowledged. The file is a journal of whole
/// checkpoints, one JSON line each, the last complete one current (as Mesos appends its status update records):
/// the first is renamed into place whole, each later one appended, which costs this disk 0.01 ms where replacing
/// the file cost 0.35 to 0.6 ms, on every status update. A crash mid-append leaves a cut line, which a load
/// passes over for the line before it. Once the file outgrows <see cref="CompactAbove"/> bytes it is replaced
/// by its current line.</summary>
public sealed class TaskCheckpoint
{
    /// <summary>The size past which the next write replaces the journal instead of appending to it.</summary>
    public const int CompactAbove = 64 * 1024;

    // Bytes in the checkpoint's file as this agent knows it: 0 until its first write.
    private long _length;

    // An empty file made ahead of the launch (in its stage), which the first write fills and renames into place.
    private string? _firstWriteInto;

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

    /// <summary>Has the first write fill <paramref name="emptyFile"/> (on the checkpoints' filesystem) and rename
    /// it into place, instead of creating a file on the launch's path.</summary>
    public void FirstWriteInto(string? emptyFile) => _firstWriteInto = emptyFile;

    public void Save(string workDir)
    {
        var path = PathOf(workDir, FrameworkId!, Task!.TaskId!);
        var json = MesosJson.SerializeToUtf8(this);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        if (_length == 0)
        {
            System.IO.Directory.CreateDirectory(Directory(workDir));
            if (Interlocked.Exchange(ref _firstWriteInto, null) is { } staged && File.Exists(staged))
            {
                File.WriteAllBytes(staged, line);
                File.Move(staged, path, overwrite: true);
            }
            else
            {
                AtomicFile.Write(path, line);
            }
        }
        else if (_length + line.Length > CompactAbove)
        {
            AtomicFile.Write(path, line);
        }
        else
        {
            using var journal = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            journal.Write(line);
            _length += line.Length;
            return;
        }

        _length = line.Length;
    }

    /// <summary>The current checkpoint in a journal's bytes: its last line that reads whole (an older agent's
    /// file is one JSON document without a line end), or null.</summary>
    public static TaskCheckpoint? Read(byte[] journal)
    {
        var rest = journal.AsSpan();
        while (rest.Length > 0)
        {
            rest = rest.TrimEnd((byte)'\n');
            var start = rest.LastIndexOf((byte)'\n') + 1;
            if (TryRead(rest[start..]) is { } checkpoint)
            {
                // Appending after a cut line would join the two into one that reads as neither: a journal
                // that does not end with a whole line is replaced by the next write instead.
                checkpoint._length = journal[^1] == (byte)'\n' ? journal.Length : 0;
                return checkpoint;
            }

            rest = rest[..start];
        }

        return null;
    }

    private static TaskCheckpoint? TryRead(ReadOnlySpan<byte> line)
    {
        try
        {
            return MesosJson.Deserialize<TaskCheckpoint>(line);
        }
        catch (System.Text.Json.JsonException)
        {
            // A line cut short by a crash during its append.
            return null;
        }
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
            if (Read(File.ReadAllBytes(file)) is { FrameworkId: not null, Task.TaskId: not null } checkpoint)
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
