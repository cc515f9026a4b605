using Mesos.Orleans.AgentHost.Tasks;

namespace Mesos.Orleans.UnitTests.Agent;

/// <summary>A launch's stage becomes its sandbox by renames: the whole executor directory when the executor has
/// none yet, its run directory alone when it has; what a launch does not take is removed, and an agent clears
/// the stages an earlier one left.</summary>
public sealed class LaunchStageTests : IDisposable
{
    private readonly DirectoryInfo _workDir = Directory.CreateTempSubdirectory("launch-stage-");

    [Fact]
    public void A_new_executor_directory_is_the_stage_renamed_with_its_output_files()
    {
        var stage = LaunchStage.Create(_workDir.FullName, "c1");
        var sandbox = SandboxOf("e1", "c1");

        stage.PlaceSandbox(sandbox);

        Assert.True(File.Exists(Path.Combine(sandbox, "stdout")));
        Assert.True(File.Exists(Path.Combine(sandbox, "stderr")));
        Assert.False(Directory.Exists(Path.Combine(LaunchStage.Root(_workDir.FullName), "c1")));
    }

    [Fact]
    public async Task An_executor_directory_that_exists_keeps_its_runs_and_gets_the_staged_run()
    {
        var earlier = SandboxOf("e1", "c0");
        Directory.CreateDirectory(earlier);
        File.WriteAllText(Path.Combine(earlier, "stdout"), "earlier run");
        var stage = LaunchStage.Create(_workDir.FullName, "c1");
        var sandbox = SandboxOf("e1", "c1");

        stage.PlaceSandbox(sandbox);

        Assert.True(File.Exists(Path.Combine(sandbox, "stdout")));
        Assert.Equal("earlier run", File.ReadAllText(Path.Combine(earlier, "stdout")));
        var staged = Path.Combine(LaunchStage.Root(_workDir.FullName), "c1");
        await Testing.Waiting.Eventually.TrueAsync(() => !Directory.Exists(staged), "the emptied stage to be removed", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_sandbox_of_another_shape_is_made_as_without_a_stage()
    {
        var stage = LaunchStage.Create(_workDir.FullName, "c1");
        var member = Path.Combine(SandboxOf("group", "c1"), "tasks", "t1");

        stage.PlaceSandbox(member);

        Assert.True(Directory.Exists(member));
        Assert.Empty(Directory.GetFiles(member));
        stage.Discard();
        Assert.Empty(Directory.GetFileSystemEntries(LaunchStage.Root(_workDir.FullName)));
    }

    [Fact]
    public void The_checkpoint_file_is_taken_once_and_an_unused_stage_is_discarded_whole()
    {
        var stage = LaunchStage.Create(_workDir.FullName, "c1");
        var file = stage.TakeCheckpointFile();

        Assert.NotNull(file);
        Assert.True(File.Exists(file));
        Assert.Null(stage.TakeCheckpointFile());

        var unused = LaunchStage.Create(_workDir.FullName, "c2");
        unused.Discard();
        var root = LaunchStage.Root(_workDir.FullName);
        Assert.Equal([Path.Combine(root, "c1"), file], Directory.GetFileSystemEntries(root).Order());
    }

    [Fact]
    public void An_agent_clears_what_an_earlier_one_staged()
    {
        _ = LaunchStage.Create(_workDir.FullName, "c1");
        _ = LaunchStage.Create(_workDir.FullName, "c2");

        LaunchStage.Clear(_workDir.FullName);

        Assert.False(Directory.Exists(LaunchStage.Root(_workDir.FullName)));
        LaunchStage.Clear(_workDir.FullName);
    }

    private string SandboxOf(string executor, string container) =>
        Path.Combine(_workDir.FullName, "slaves", "a1", "frameworks", "f1", "executors", executor, "runs", container);

    public void Dispose() => _workDir.Delete(recursive: true);
}
