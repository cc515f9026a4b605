using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Mesos.Orleans.Testing.Waiting;
using Xunit.Abstractions;
using static Mesos.Orleans.IntegrationTests.Usage.UsageEndpoints;

namespace Mesos.Orleans.IntegrationTests.Usage;

/// <summary>Real tasks under real cgroups (v1 or v2, as the host mounts them): what the agent samples and
/// what the master makes of its reports.</summary>
public sealed class TaskUsageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const double MiB = 1024 * 1024;

    [Fact]
    public async Task A_busy_loop_limited_to_half_a_cpu_uses_about_half_a_cpu_and_is_throttled()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agentArgs: ["--usage_interval", "500ms"]);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "usage" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        // Two spinning shells want two cpus, so the 0.5 quota binds even when other work on the host
        // leaves each of them less than half a core.
        using var accepted = await scheduler.CallAsync(Calls.Launch(offer,
            Calls.CommandTask(offer, "spin", "while :; do :; done & while :; do :; done", "cpus:0.5;mem:32")));
        await scheduler.UntilAsync("spin", s => s.State == TaskState.TASK_RUNNING, Patience);

        // Two samples at least four seconds apart between which the quota bit: the rate between them is what
        // a consumer computes. The window slides until the loop got its half cpu (a host busy with other
        // work can leave it less, and then the quota never binds).
        var first = await Eventually.ValueAsync(
            async _ => await StatisticsOfAsync(cluster, 0, "spin") is { } s && !double.IsNaN(Number(s, "cpus_user_time_secs")) ? s : null,
            "a first sample of the busy loop",
            Patience);
        var second = await Eventually.ValueAsync(
            async _ =>
            {
                if (await StatisticsOfAsync(cluster, 0, "spin") is not { } s || Number(s, "timestamp") < Number(first, "timestamp") + 4)
                {
                    return null;
                }

                // Throttled, and not starved by the host's other work (parallel tests start silos too): only
                // then does the rate show the quota rather than the neighbours.
                var rate = (Number(s, "cpus_user_time_secs") + Number(s, "cpus_system_time_secs") - Number(first, "cpus_user_time_secs") - Number(first, "cpus_system_time_secs"))
                    / (Number(s, "timestamp") - Number(first, "timestamp"));
                if (Number(s, "cpus_nr_throttled") > Number(first, "cpus_nr_throttled") && rate >= 0.3)
                {
                    return s;
                }

                first = s;
                return null;
            },
            "four seconds in which the busy loop gets its share and is throttled",
            TimeSpan.FromSeconds(120));

        var cpuSeconds = Number(second, "cpus_user_time_secs") + Number(second, "cpus_system_time_secs")
            - Number(first, "cpus_user_time_secs") - Number(first, "cpus_system_time_secs");
        var cpus = cpuSeconds / (Number(second, "timestamp") - Number(first, "timestamp"));
        output.WriteLine($"busy loop used {cpus:F3} cpus; throttled {Number(second, "cpus_nr_throttled")} of {Number(second, "cpus_nr_periods")} periods");
        // The quota caps it at 0.5; two shared cores under other builds may give it somewhat less.
        Assert.InRange(cpus, 0.3, 0.6);
        Assert.Equal(0.5, Number(second, "cpus_limit"), precision: 6);
        Assert.True(Number(second, "cpus_nr_throttled") > Number(first, "cpus_nr_throttled"), "throttling is counted");
        Assert.True(Number(second, "cpus_throttled_time_secs") > 0);
        Assert.Equal(32 * MiB, Number(second, "mem_limit_bytes"));

        // The master sees the same use from the agent's reports.
        var utilization = await Eventually.ValueAsync(
            async _ => await UtilizationAsync(cluster) is { Cluster.Cpus.Used: > 0.2 } u ? u : null,
            "the master to report the busy loop's cpu use",
            Patience);
        Assert.Equal(0.5, utilization.Cluster!.Cpus!.Allocated, precision: 6);
        Assert.InRange(utilization.Cluster.Cpus.Used, 0.2, 0.65);
        var tasks = await OperatorAsync(cluster, OperatorCallType.GET_TASKS);
        Assert.NotNull(tasks.GetTasks!.Tasks!.Single(t => t.TaskId!.Value == "spin").Statistics?.CpusUserTimeSecs);
    }

    [Fact]
    public async Task A_task_holding_100_mb_shows_about_100_mb_resident()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agentArgs: ["--usage_interval", "500ms"]);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "usage" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        // tail keeps the last 200 MB of a pipe in memory until the pipe closes: it holds all 100 MB.
        using var accepted = await scheduler.CallAsync(Calls.Launch(offer,
            Calls.CommandTask(offer, "hold", "(head -c 100M /dev/zero; sleep 600) | tail -c 200M > /dev/null", "cpus:0.5;mem:256")));
        await scheduler.UntilAsync("hold", s => s.State == TaskState.TASK_RUNNING, Patience);

        var statistics = await Eventually.ValueAsync(
            async _ => await StatisticsOfAsync(cluster, 0, "hold") is { } s && Number(s, "mem_rss_bytes") >= 100 * MiB ? s : null,
            "the task to hold 100 MB resident",
            Patience);

        output.WriteLine($"rss {Number(statistics, "mem_rss_bytes") / MiB:F1} MiB, total {Number(statistics, "mem_total_bytes") / MiB:F1} MiB, peak {Number(statistics, "mem_max_bytes") / MiB:F1} MiB");
        Assert.InRange(Number(statistics, "mem_rss_bytes"), 100 * MiB, 120 * MiB);
        Assert.True(Number(statistics, "mem_max_bytes") >= Number(statistics, "mem_rss_bytes"));
        Assert.Equal(256 * MiB, Number(statistics, "mem_limit_bytes"));
        Assert.True(Number(statistics, "processes") >= 3, "the shell, head's subshell (sleep) and tail");
        Assert.True(Number(statistics, "disk_used_bytes") >= 0);

        var utilization = await Eventually.ValueAsync(
            async _ => await UtilizationAsync(cluster) is { Cluster.Mem.Used: >= 100 } u ? u : null,
            "the master to report the task's memory",
            Patience);
        Assert.InRange(utilization.Cluster!.Mem!.Used, 100, 120);
        Assert.Equal(256, utilization.Cluster.Mem.Allocated);
    }

    [Fact]
    public async Task Utilisation_at_the_master_is_the_sum_of_its_agents_per_agent_role_and_cluster()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 2, agentArgs: ["--usage_interval", "500ms"]);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "usage", Role = "analytics" });
        var offers = new Dictionary<string, Offer>(StringComparer.Ordinal);
        while (offers.Count < 2)
        {
            foreach (var offer in (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers!)
            {
                offers[offer.AgentId!.Value] = offer;
            }
        }

        var index = 0;
        foreach (var offer in offers.Values)
        {
            var id = $"work-{index++}";
            using var accepted = await scheduler.CallAsync(Calls.Launch(offer,
                Calls.CommandTask(offer, id, "(head -c 20M /dev/zero; while :; do :; done) | tail -c 40M > /dev/null", "cpus:0.25;mem:128")));
        }

        await scheduler.UntilAsync("work-0", s => s.State == TaskState.TASK_RUNNING, Patience);
        await scheduler.UntilAsync("work-1", s => s.State == TaskState.TASK_RUNNING, Patience);

        // Both agents have reported cpu and memory for their task.
        var utilization = await Eventually.ValueAsync(
            async _ => await UtilizationAsync(cluster) is { } u && u.Agents!.Count == 2
                && u.Agents.All(a => a.Resources!.Cpus!.Used > 0.05 && a.Resources.Mem!.Used >= 20 && a.Host is not null) ? u : null,
            "both agents to report their task's use",
            Patience);

        var agents = utilization.Agents!;
        Assert.Equal(agents.Sum(a => a.Resources!.Cpus!.Used), utilization.Cluster!.Cpus!.Used, precision: 9);
        Assert.Equal(agents.Sum(a => a.Resources!.Mem!.Used), utilization.Cluster.Mem!.Used, precision: 9);
        Assert.Equal(agents.Sum(a => a.Resources!.Cpus!.Allocated), utilization.Cluster.Cpus.Allocated, precision: 9);
        Assert.Equal(4.0, utilization.Cluster.Cpus.Total, precision: 9);
        Assert.Equal(0.5, utilization.Cluster.Cpus.Allocated, precision: 9);
        Assert.Equal(2048.0, utilization.Cluster.Mem.Total, precision: 9);

        var role = Assert.Single(utilization.Roles!);
        Assert.Equal("analytics", role.Role);
        Assert.Equal(utilization.Cluster.Cpus.Used, role.Resources!.Cpus!.Used, precision: 9);
        Assert.Equal(utilization.Cluster.Mem.Used, role.Resources.Mem!.Used, precision: 9);
        Assert.Equal(0.5, role.Resources.Cpus.Allocated, precision: 9);
        Assert.Equal(4.0, role.Resources.Cpus.Total, precision: 9);
        foreach (var agent in agents)
        {
            Assert.True(agent.Host!.Cpus!.Total > 0 && agent.Host.Mem!.Total > 0, "host totals from /proc");
        }

        // The same figures as Prometheus series, per role too, and in GET_AGENTS and /master/state.
        var metrics = await cluster.Http.GetStringAsync(new Uri(cluster.Master, "/metrics"));
        Assert.Contains("mesos_master_usage_cpus{type=\"allocated\"} 0.5", metrics, StringComparison.Ordinal);
        Assert.Contains("mesos_master_role_usage_cpus{role=\"analytics\",type=\"allocated\"} 0.5", metrics, StringComparison.Ordinal);
        Assert.Contains("mesos_master_role_usage_mem_bytes{role=\"analytics\",type=\"used\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("mesos_master_usage_reports_total{outcome=\"accepted\"}", metrics, StringComparison.Ordinal);
        var agentsView = await OperatorAsync(cluster, OperatorCallType.GET_AGENTS);
        Assert.All(agentsView.GetAgents!.Agents!, a => Assert.Equal(0.25, a.Utilization!.Cpus!.Allocated, precision: 9));
        var state = await cluster.MasterStateAsync();
        Assert.All(state["slaves"]!.AsArray(), s => Assert.NotNull(s!["utilization"]?["cpus"]?["used"]));
        var stateTasks = state["frameworks"]!.AsArray().SelectMany(f => f!["tasks"]!.AsArray()).ToList();
        Assert.Equal(2, stateTasks.Count);
        Assert.All(stateTasks, t => Assert.NotNull(t!["statistics"]?["mem_rss_bytes"]));
    }
}
