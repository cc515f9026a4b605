using Mesos.Orleans.AgentHost.Isolation;
using Mesos.Orleans.AgentHost.Tasks;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Mesos.Orleans.Testing.Waiting;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Isolation;

/// <summary>Executors the agent starts ahead of launches (<c>mesos-executor --standby</c>): each waits in the
/// cgroup its task will get, and one that is let go or stopped leaves no cgroup behind; empty cgroups of
/// executors that were killed outright are swept by the next agent.</summary>
public sealed class PrestartedExecutorTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string Executor = ExecutorBinary.Locate(null);
    private static readonly CgroupIsolator Isolator = CgroupIsolator.Detect() ?? throw new InvalidOperationException("These tests run as root on a host with cgroups");

    [Fact]
    public async Task A_standby_waits_in_its_cgroup_and_removes_it_when_let_go()
    {
        var standby = StandbyExecutor.Start(Executor, Isolator, Guid.NewGuid().ToString());
        var pid = standby.Process.Id;
        await Eventually.TrueAsync(() => standby.Cgroup!.Pids().Contains(pid), "the standby to join its cgroup", Patience);
        var directories = CgroupDirectories(standby.Cgroup!);

        standby.Dispose();

        await Eventually.TrueAsync(() => directories.All(d => !Directory.Exists(d)), "the standby to remove its cgroup", Patience);
        await Eventually.TrueAsync(() => !Directory.Exists($"/proc/{pid}"), "the standby to exit", Patience);
    }

    [Fact]
    public async Task A_standby_stopped_with_SIGTERM_removes_its_cgroup_and_exits()
    {
        using var standby = StandbyExecutor.Start(Executor, Isolator, Guid.NewGuid().ToString());
        await Eventually.TrueAsync(() => standby.Cgroup!.Pids().Contains(standby.Process.Id), "the standby to join its cgroup", Patience);
        var directories = CgroupDirectories(standby.Cgroup!);

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", standby.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var exited = new CancellationTokenSource(Patience);
        await standby.Process.WaitForExitAsync(exited.Token);
        Assert.Equal(0, standby.Process.ExitCode);
        Assert.All(directories, d => Assert.False(Directory.Exists(d), $"{d} is left behind"));
    }

    [Fact]
    public async Task A_standby_runs_the_task_it_is_handed_with_its_environment_empty_values_included()
    {
        var sandbox = Directory.CreateTempSubdirectory("standby-sandbox-");
        try
        {
            using var standby = StandbyExecutor.Start(Executor, Isolator, Guid.NewGuid().ToString());
            standby.Send(["EMPTY=", "GREETING=hello world"], [$"--sandbox={sandbox.FullName}", "--shell=env > environment"]);

            Assert.StartsWith("started ", await standby.Process.StandardOutput.ReadLineAsync(), StringComparison.Ordinal);
            using var exited = new CancellationTokenSource(Patience);
            await standby.Process.WaitForExitAsync(exited.Token);
            Assert.Equal(0, standby.Process.ExitCode);
            var environment = await File.ReadAllLinesAsync(Path.Combine(sandbox.FullName, "environment"));
            Assert.Contains("EMPTY=", environment);
            Assert.Contains("GREETING=hello world", environment);
        }
        finally
        {
            sandbox.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_launch_cut_short_by_the_agents_death_is_not_run_and_the_standby_cleans_up()
    {
        using var standby = StandbyExecutor.Start(Executor, Isolator, Guid.NewGuid().ToString());
        await Eventually.TrueAsync(() => standby.Cgroup!.Pids().Contains(standby.Process.Id), "the standby to join its cgroup", Patience);
        var directories = CgroupDirectories(standby.Cgroup!);

        // Half a message (no final NUL), then the pipe closes as the agent's death would close it.
        var partial = System.Text.Encoding.UTF8.GetBytes("0\0--sandbox=/tmp\0--shell=touch /tmp/never-run");
        await standby.Process.StandardInput.BaseStream.WriteAsync(partial);
        standby.Process.StandardInput.Close();

        var answer = await standby.Process.StandardOutput.ReadLineAsync();
        Assert.StartsWith("failed ", answer, StringComparison.Ordinal);
        Assert.Contains("before it was complete", answer, StringComparison.Ordinal);
        using var exited = new CancellationTokenSource(Patience);
        await standby.Process.WaitForExitAsync(exited.Token);
        Assert.All(directories, d => Assert.False(Directory.Exists(d), $"{d} is left behind"));
    }

    [Fact]
    public async Task The_pool_keeps_its_executors_started_and_lets_them_all_go_when_disposed()
    {
        var workDir = Directory.CreateTempSubdirectory("standby-pool-");
        try
        {
            await PoolLifecycle(workDir.FullName);
        }
        finally
        {
            workDir.Delete(recursive: true);
        }
    }

    private static async Task PoolLifecycle(string workDir)
    {
        var pool = new ExecutorPool(Executor, Isolator, workDir, 2, NullLogger.Instance);
        await Eventually.TrueAsync(() => pool.Ready == 2, "two executors to be prestarted", Patience);
        // Each has its launch's stage: the sandbox's executor directory and the checkpoint's file.
        var stages = LaunchStage.Root(workDir);
        Assert.Equal(4, Directory.GetFileSystemEntries(stages).Length);

        var taken = pool.TryTake();
        Assert.NotNull(taken);
        Assert.Equal(1, pool.Ready);
        pool.Refill();
        await Eventually.TrueAsync(() => pool.Ready == 2, "the pool to be topped up", Patience);

        var waiting = new List<StandbyExecutor> { taken! };
        while (pool.TryTake() is { } next)
        {
            waiting.Add(next);
        }

        // Taken ones go back as if their launches failed; the pool itself is emptied on Dispose.
        pool.Dispose();
        foreach (var standby in waiting)
        {
            standby.Dispose();
        }

        await Eventually.TrueAsync(() => waiting.All(s => s.Cgroup!.Pids().Count == 0), "every standby to exit", Patience);
        Assert.Empty(Directory.GetFileSystemEntries(stages));
    }

    [Fact]
    public void Empty_cgroups_left_by_killed_executors_are_swept_once_stale_and_busy_or_fresh_ones_are_kept()
    {
        var stale = Isolator.Prepare($"stale-{Guid.NewGuid()}");
        var fresh = Isolator.Prepare($"fresh-{Guid.NewGuid()}");
        using var sleeper = System.Diagnostics.Process.Start("sleep", "300");
        var busy = Isolator.Prepare($"busy-{Guid.NewGuid()}");
        try
        {
            foreach (var procs in busy.ProcsFiles)
            {
                File.WriteAllText(procs, sleeper.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var longAgo = DateTime.UtcNow.AddHours(-1);
            foreach (var directory in CgroupDirectories(stale).Concat(CgroupDirectories(busy)))
            {
                Directory.SetLastWriteTimeUtc(directory, longAgo);
            }

            Assert.True(Isolator.RemoveEmpty(DateTimeOffset.UtcNow.AddMinutes(-1)) >= CgroupDirectories(stale).Count);

            Assert.All(CgroupDirectories(stale), d => Assert.False(Directory.Exists(d)));
            Assert.All(CgroupDirectories(fresh), d => Assert.True(Directory.Exists(d)));
            Assert.All(CgroupDirectories(busy), d => Assert.True(Directory.Exists(d)));
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
            fresh.TryDestroy();
            Assert.True(busy.TryDestroy() || busy.Pids().Count == 0);
        }
    }

    [Fact]
    public async Task An_agent_without_prestarted_executors_starts_one_per_launch()
    {
        await using var cluster = await MesosCluster.StartAsync(output, 1, "cpus:2;mem:1024;disk:1024;ports:[31000-31099]", "--prestarted_executors=0");
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "no-standby" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];

        using var accepted = await scheduler.CallAsync(Calls.Launch(offer,
            Calls.CommandTask(offer, "one", "echo $MESOS_TASK_ID", "cpus:0.5;mem:64"),
            Calls.CommandTask(offer, "two", "echo $MESOS_TASK_ID", "cpus:0.5;mem:64")));

        Assert.Equal(TaskState.TASK_FINISHED, (await scheduler.TerminalAsync("one", Patience)).State);
        Assert.Equal(TaskState.TASK_FINISHED, (await scheduler.TerminalAsync("two", Patience)).State);
    }

    private static List<string> CgroupDirectories(TaskCgroup cgroup) =>
        [.. cgroup.ProcsFiles.Select(p => Path.GetDirectoryName(p)!)];
}
