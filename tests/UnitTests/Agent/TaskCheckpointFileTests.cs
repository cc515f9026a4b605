using Mesos.Orleans.AgentHost.Tasks;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Waiting;

namespace Mesos.Orleans.UnitTests.Agent;

/// <summary>A task's checkpoint is created by its first write and replaced whole by each later one (the later
/// writes swap the new file in with renameat2's exchange), leaving no temporary file behind, and a restarted
/// agent loads exactly the latest contents.</summary>
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
    public async Task Old_contents_are_deleted_after_the_swap_and_leftovers_of_a_crash_at_the_next_load()
    {
        var checkpoint = new TaskCheckpoint { FrameworkId = new FrameworkId("f1"), Task = new TaskInfo { TaskId = new TaskId("t1"), Name = "t1" } };
        checkpoint.Save(_workDir.FullName);
        checkpoint.Save(_workDir.FullName);
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

    public void Dispose() => _workDir.Delete(recursive: true);
}
