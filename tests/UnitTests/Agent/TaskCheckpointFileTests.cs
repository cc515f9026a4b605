using Mesos.Orleans.AgentHost.Tasks;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Waiting;

namespace Mesos.Orleans.UnitTests.Agent;

/// <summary>A task's checkpoint is created by its first write and journaled by each later one (appended as a
/// line, the file replaced by its current line with renameat2's exchange once it grows past its bound), leaving
/// no temporary file behind; a restarted agent loads exactly the latest whole line, passing over one a crash cut
/// short.</summary>
public sealed class TaskCheckpointFileTests : IDisposable
{
    private readonly DirectoryInfo _workDir = Directory.CreateTempSubdirectory("checkpoint-file-");

    [Fact]
    public void Each_write_replaces_the_checkpoint_and_leaves_no_temporary_file()
    {
        var checkpoint = new TaskCheckpoint
        {
            FrameworkId = new FrameworkId("f1"),
            Task = new TaskInfo { TaskId = new TaskId("t1"), Name = "t1" },
            State = TaskState.TASK_STARTING,
        };
        checkpoint.Save(_workDir.FullName);
        checkpoint.State = TaskState.TASK_RUNNING;
        checkpoint.Pid = 4242;
        checkpoint.Save(_workDir.FullName);
        checkpoint.State = TaskState.TASK_FINISHED;
        checkpoint.Save(_workDir.FullName);

        var loaded = Assert.Single(TaskCheckpoint.LoadAll(_workDir.FullName));
        Assert.Equal(TaskState.TASK_FINISHED, loaded.State);
        Assert.Equal(4242, loaded.Pid);
        var file = Assert.Single(Directory.GetFiles(TaskCheckpoint.Directory(_workDir.FullName)));
        Assert.Equal(TaskCheckpoint.PathOf(_workDir.FullName, new FrameworkId("f1"), new TaskId("t1")), file);
    }

    [Fact]
    public void Atomic_write_creates_then_replaces_a_file()
    {
        var path = Path.Combine(_workDir.FullName, "state.json");
        AtomicFile.Write(path, "{\"a\":1}"u8.ToArray());
        Assert.Equal("{\"a\":1}", File.ReadAllText(path));

        AtomicFile.Write(path, "{\"a\":22}"u8.ToArray());
        Assert.Equal("{\"a\":22}", File.ReadAllText(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Later_writes_are_appended_and_the_last_whole_line_is_the_checkpoint()
    {
        var checkpoint = NewCheckpoint();
        checkpoint.Save(_workDir.FullName);
        var first = new FileInfo(PathOfT1).Length;
        checkpoint.State = TaskState.TASK_RUNNING;
        checkpoint.Save(_workDir.FullName);

        var lines = File.ReadAllLines(PathOfT1);
        Assert.Equal(2, lines.Length);
        Assert.True(new FileInfo(PathOfT1).Length > first);
        Assert.Equal(TaskState.TASK_RUNNING, Assert.Single(TaskCheckpoint.LoadAll(_workDir.FullName)).State);
    }

    [Fact]
    public void A_line_cut_short_by_a_crash_is_passed_over_and_the_next_write_replaces_the_file()
    {
        var checkpoint = NewCheckpoint();
        checkpoint.Save(_workDir.FullName);
        checkpoint.State = TaskState.TASK_RUNNING;
        checkpoint.Save(_workDir.FullName);

        // The agent died in the middle of appending the next line.
        var whole = File.ReadAllBytes(PathOfT1);
        var cut = System.Text.Encoding.UTF8.GetBytes("{\"framework_id\":{\"value\":\"f1\"},\"task\":{\"task_id\":{\"val");
        File.WriteAllBytes(PathOfT1, [.. whole, .. cut]);

        var loaded = Assert.Single(TaskCheckpoint.LoadAll(_workDir.FullName));
        Assert.Equal(TaskState.TASK_RUNNING, loaded.State);

        // Appended after the cut line, the next write would be lost in it: it replaces the file instead.
        loaded.State = TaskState.TASK_FINISHED;
        loaded.Save(_workDir.FullName);
        Assert.Single(File.ReadAllLines(PathOfT1));
        Assert.Equal(TaskState.TASK_FINISHED, Assert.Single(TaskCheckpoint.LoadAll(_workDir.FullName)).State);
    }

    [Fact]
    public void A_checkpoint_written_as_one_document_by_an_older_agent_loads()
    {
        Directory.CreateDirectory(TaskCheckpoint.Directory(_workDir.FullName));
        File.WriteAllText(PathOfT1, "{\"framework_id\":{\"value\":\"f1\"},\"task\":{\"name\":\"t1\",\"task_id\":{\"value\":\"t1\"}},\"state\":\"TASK_RUNNING\",\"pid\":77}");

        var loaded = Assert.Single(TaskCheckpoint.LoadAll(_workDir.FullName));
        Assert.Equal(77, loaded.Pid);
        loaded.State = TaskState.TASK_FAILED;
        loaded.Save(_workDir.FullName);
        Assert.Equal(TaskState.TASK_FAILED, Assert.Single(TaskCheckpoint.LoadAll(_workDir.FullName)).State);
    }

    [Fact]
    public void The_first_write_fills_a_file_made_ahead_and_renames_it_into_place()
    {
        var staged = Path.Combine(_workDir.FullName, "made-ahead.checkpoint");
        File.Create(staged).Dispose();
        var checkpoint = NewCheckpoint();
        checkpoint.FirstWriteInto(staged);
        checkpoint.Save(_workDir.FullName);

        Assert.False(File.Exists(staged));
        Assert.Equal(TaskState.TASK_STARTING, Assert.Single(TaskCheckpoint.LoadAll(_workDir.FullName)).State);
    }

    [Fact]
    public async Task A_journal_past_its_bound_is_replaced_by_its_current_line_and_the_old_contents_deleted()
    {
        var checkpoint = NewCheckpoint();
        var longest = 0;
        for (var pid = 1; pid < 5_000; pid++)
        {
            checkpoint.Pid = pid;
            checkpoint.Save(_workDir.FullName);
            var lines = File.ReadAllLines(PathOfT1).Length;
            if (lines < longest)
            {
                break;
            }

            longest = lines;
        }

        Assert.True(longest > 100, $"the journal grew to {longest} lines before it was replaced");
        Assert.Single(File.ReadAllLines(PathOfT1));
        Assert.True(new FileInfo(PathOfT1).Length < TaskCheckpoint.CompactAbove);
        Assert.Equal(checkpoint.Pid, Assert.Single(TaskCheckpoint.LoadAll(_workDir.FullName)).Pid);
        var directory = TaskCheckpoint.Directory(_workDir.FullName);
        await Eventually.TrueAsync(() => Directory.GetFiles(directory).Length == 1, "the old contents to be deleted", TimeSpan.FromSeconds(10));

        // A crash between the swap and the deletion leaves the old contents under their aside name.
        var leftover = TaskCheckpoint.PathOf(_workDir.FullName, new FrameworkId("f1"), new TaskId("t1")) + AtomicFile.OldContentsMarker + Guid.NewGuid().ToString("N");
        File.WriteAllText(leftover, "{}");
        Assert.Single(TaskCheckpoint.LoadAll(_workDir.FullName));
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public void A_task_whose_ID_looks_like_old_contents_keeps_its_checkpoint()
    {
        var checkpoint = new TaskCheckpoint { FrameworkId = new FrameworkId("f1"), Task = new TaskInfo { TaskId = new TaskId("svc.old-1"), Name = "svc" } };
        checkpoint.Save(_workDir.FullName);

        Assert.Equal("svc.old-1", Assert.Single(TaskCheckpoint.LoadAll(_workDir.FullName)).Task!.TaskId!.Value);
        Assert.Single(TaskCheckpoint.LoadAll(_workDir.FullName));
    }

    private string PathOfT1 => TaskCheckpoint.PathOf(_workDir.FullName, new FrameworkId("f1"), new TaskId("t1"));

    private static TaskCheckpoint NewCheckpoint() => new()
    {
        FrameworkId = new FrameworkId("f1"),
        Task = new TaskInfo { TaskId = new TaskId("t1"), Name = "t1" },
        State = TaskState.TASK_STARTING,
    };

    public void Dispose() => _workDir.Delete(recursive: true);
}
