using System.Globalization;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Mesos.Orleans.Testing.Waiting;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Isolation;

/// <summary>Tasks under real cgroups (the tests run as root; v1 or v2, whichever the host mounts).</summary>
public sealed class CgroupIsolationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_task_allocating_past_its_memory_ends_failed_with_the_memory_reason()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await SubscribeAsync(cluster);
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];

        using var accepted = await scheduler.CallAsync(Calls.Launch(offer,
            Calls.CommandTask(offer, "hog", "dd if=/dev/zero of=/dev/null bs=256M count=1", "cpus:0.5;mem:64")));

        var end = await scheduler.TerminalAsync("hog", Patience);
        Assert.Equal(TaskState.TASK_FAILED, end.State);
        Assert.Equal(TaskStatusReason.REASON_CONTAINER_LIMITATION_MEMORY, end.Reason);
        Assert.Contains("Memory limit exceeded", end.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cpu_quota_throttles_a_busy_loop()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await SubscribeAsync(cluster);
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        using var accepted = await scheduler.CallAsync(Calls.Launch(offer, Calls.CommandTask(offer, "spin", "while :; do :; done", "cpus:0.1;mem:32")));
        await scheduler.UntilAsync("spin", s => s.State == TaskState.TASK_RUNNING, Patience);
        var cgroup = await CgroupOfAsync(cluster, "spin");

        await Eventually.TrueAsync(
            () => Counter(CgroupFile(cgroup, "cpu", "cpu.stat"), "nr_throttled") > 5,
            "the busy loop to be throttled by its CFS quota",
            Patience);

        using var killed = await scheduler.CallAsync(new Call { Type = CallType.KILL, Kill = new KillCall { TaskId = new TaskId("spin") } });
        Assert.Equal(TaskState.TASK_KILLED, (await scheduler.TerminalAsync("spin", Patience)).State);
        await Eventually.TrueAsync(() => !Directory.Exists(CgroupDirectory(cgroup, "cpu")), "the task's cgroup to be removed", Patience);
    }

    [Fact]
    public async Task A_fork_bomb_stops_at_the_pids_limit()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agentArgs: ["--task_pids_limit", "16"]);
        await using var scheduler = await SubscribeAsync(cluster);
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];

        // Each fork that succeeds prints a line; the shell gives up (and the task ends) at the first refused one.
        using var accepted = await scheduler.CallAsync(Calls.Launch(offer,
            Calls.CommandTask(offer, "bomb", "i=0; while [ $i -lt 64 ]; do sleep 60 & echo $i; i=$((i+1)); done; sleep 60", "cpus:0.1;mem:64")));

        var end = await scheduler.TerminalAsync("bomb", Patience);
        Assert.Equal(TaskState.TASK_FAILED, end.State);
        var sandbox = Path.GetDirectoryName(Directory.GetFiles(cluster.Root, "stdout", SearchOption.AllDirectories)
            .Single(p => p.Contains($"{Path.DirectorySeparatorChar}executors{Path.DirectorySeparatorChar}bomb{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))!;
        Assert.Contains("fork", await File.ReadAllTextAsync(Path.Combine(sandbox, "stderr")), StringComparison.OrdinalIgnoreCase);
        var forked = (await File.ReadAllLinesAsync(Path.Combine(sandbox, "stdout"))).Length;

        // The executor and the shell hold pids of the cgroup's 16 too.
        Assert.InRange(forked, 1, 15);
    }

    [Fact]
    public async Task Kill_sends_sigterm_first_and_the_task_may_finish_within_its_grace_period()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await SubscribeAsync(cluster);
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        using var accepted = await scheduler.CallAsync(Calls.Launch(offer,
            Calls.CommandTask(offer, "polite", "trap 'echo got-term; exit 0' TERM; while :; do sleep 0.1; done", "cpus:0.1;mem:32")));
        await scheduler.UntilAsync("polite", s => s.State == TaskState.TASK_RUNNING, Patience);
        var sandbox = await SandboxOfAsync(cluster, "polite");

        using var killed = await scheduler.CallAsync(new Call
        {
            Type = CallType.KILL,
            Kill = new KillCall { TaskId = new TaskId("polite"), KillPolicy = new KillPolicy { GracePeriod = new DurationInfo { Nanoseconds = 10_000_000_000 } } },
        });

        Assert.Equal(TaskState.TASK_KILLED, (await scheduler.TerminalAsync("polite", Patience)).State);
        Assert.Contains("got-term", await File.ReadAllTextAsync(Path.Combine(sandbox, "stdout")), StringComparison.Ordinal);
    }

    private static Task<TestScheduler> SubscribeAsync(MesosCluster cluster) =>
        TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "isolation" });

    private static async Task<string> SandboxOfAsync(MesosCluster cluster, string taskId)
    {
        var state = await cluster.GetJsonAsync(new Uri(cluster.AgentUrls[0], "/state"));
        return state["tasks"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == taskId)!["directory"]!.GetValue<string>();
    }

    /// <summary>The task's cgroup name: its container ID, the last part of its sandbox path.</summary>
    private static async Task<string> CgroupOfAsync(MesosCluster cluster, string taskId) => Path.GetFileName(await SandboxOfAsync(cluster, taskId));

    private static string CgroupDirectory(string cgroup, string controller) =>
        File.Exists("/sys/fs/cgroup/cgroup.controllers") && !Directory.Exists($"/sys/fs/cgroup/{controller}")
            ? $"/sys/fs/cgroup/mesos_orleans/{cgroup}"
            : $"/sys/fs/cgroup/{controller}/mesos_orleans/{cgroup}";

    private static string CgroupFile(string cgroup, string controller, string file) => Path.Combine(CgroupDirectory(cgroup, controller), file);

    /// <summary>A counter from a cgroup file: "key value" lines, or (no key) the file's single number.</summary>
    private static long Counter(string path, string? key)
    {
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (key is null && parts.Length == 1)
            {
                return long.Parse(parts[0], CultureInfo.InvariantCulture);
            }

            if (parts.Length == 2 && parts[0] == key)
            {
                return long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
