using System.Text.Json.Nodes;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Waiting;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Compatibility;

/// <summary>
/// The npm package mesos-framework@0.5.3, unmodified, as a real node process against a real master and agent:
/// its Scheduler subscribes, its built-in OFFERS handler launches a command task, its built-in UPDATE handler
/// acknowledges every update. See shared docs, mesos-http-api.md section 6, for what this client demands
/// (one RecordIO record per HTTP chunk, heartbeats within its 10 s idle timeout, exactly 202 on calls, offers with
/// url.address.ip, UPDATE with agent_id and uuid).
/// </summary>
public sealed class MesosFrameworkClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Unmodified_mesos_framework_runs_a_command_task_to_TASK_FINISHED_acknowledges_it_and_stays_subscribed_on_heartbeats()
    {
        await NodeTooling.EnsureInstalledAsync(output);
        await using var cluster = await MesosCluster.StartAsync(output);

        // --linger 11: after TASK_FINISHED the client stays subscribed past its own 10 s idle timeout and
        // checks the stream was never quiet that long (the master's heartbeats must keep it alive).
        var run = await NpmClients.RunFrameworkAsync(cluster, output, "compat-framework", "compat", "echo compat-ok", lingerSeconds: 11);

        var (frameworkId, taskId) = AssertRanToFinished(run, "compat-framework", "compat");
        var stats = run.Lines("STATS").Single();
        Assert.Matches(@"heartbeats=([2-9]|\d\d+) ", stats);

        await AssertMasterStateShowsFinishedAndAcknowledgedAsync(cluster, frameworkId, taskId);
        var stdout = Directory.GetFiles(cluster.Root, "stdout", SearchOption.AllDirectories)
            .Single(p => p.Contains($"{Path.DirectorySeparatorChar}{taskId}{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.Equal("compat-ok\n", await File.ReadAllTextAsync(stdout));
    }

    [Fact]
    public async Task Unmodified_mesos_framework_follows_a_task_whose_id_is_not_ASCII()
    {
        // The client compares RecordIO lengths (bytes) with JavaScript string lengths (UTF-16 units): an UPDATE
        // carrying raw UTF-8 would never look complete and would be dropped. The master must \u-escape non-ASCII.
        await NodeTooling.EnsureInstalledAsync(output);
        await using var cluster = await MesosCluster.StartAsync(output);

        var run = await NpmClients.RunFrameworkAsync(cluster, output, "compat-ß", "größe-框", "echo compat-ok", lingerSeconds: 0);

        var (frameworkId, taskId) = AssertRanToFinished(run, "compat-ß", "größe-框");
        await AssertMasterStateShowsFinishedAndAcknowledgedAsync(cluster, frameworkId, taskId);
    }

    /// <summary>Checks framework.js's report and returns the framework id and the task id.</summary>
    internal static (string FrameworkId, string TaskId) AssertRanToFinished(ProcessRun.Result run, string name, string taskType)
    {
        var result = run.Lines("RESULT").SingleOrDefault() ?? "(none)";
        var errors = run.Lines("ERROR");
        Assert.False(run.TimedOut, $"framework.js did not exit by its deadline; RESULT {result}");
        Assert.True(
            run.ExitCode == 0,
            $"framework.js exited {run.ExitCode} (RESULT {result}); errors the library reported:\n  "
            + string.Join("\n  ", errors));
        Assert.Empty(errors);
        Assert.Equal("OK TASK_FINISHED", result);

        var subscribed = Assert.Single(run.Lines("EVENT SUBSCRIBED")).Split(' ');
        var frameworkId = subscribed[0];
        Assert.False(string.IsNullOrEmpty(frameworkId));
        Assert.True(subscribed.Length > 1 && subscribed[1].Length > 0, "no Mesos-Stream-Id reported with SUBSCRIBED");
        Assert.NotEmpty(run.Lines("EVENT OFFERS"));
        Assert.Contains("ACCEPT", run.Lines("SENT"));

        var updates = run.Lines("EVENT UPDATE").Select(l => l.Split(' ')).ToList();
        Assert.All(updates, u => Assert.Equal(4, u.Length));
        var taskId = Assert.Single(updates.Select(u => u[0]).Distinct());
        Assert.StartsWith($"{name}.{taskType}-1.", taskId, StringComparison.Ordinal);

        var states = updates.Select(u => u[1]).ToList();
        var running = states.IndexOf("TASK_RUNNING");
        var finished = states.IndexOf("TASK_FINISHED");
        Assert.True(running >= 0 && finished > running, $"expected TASK_RUNNING then TASK_FINISHED, got {string.Join(", ", states)}");
        Assert.Equal("TASK_FINISHED", states[^1]);

        // Every update from the agent carries a uuid, so the library acknowledged each one (and got 202).
        Assert.All(updates, u => Assert.Equal(24, u[2].Length));
        Assert.Equal(updates.Count, run.Lines("SENT").Count(l => l == "ACKNOWLEDGE"));
        return (frameworkId, taskId);
    }

    /// <summary>In Mesos a terminal task stays under <c>tasks</c> until its terminal update is acknowledged;
    /// only then does it move to <c>completed_tasks</c>. The framework is disconnected (the node process is gone)
    /// but not removed: its failover_timeout is the library's default, one week.</summary>
    private static async Task AssertMasterStateShowsFinishedAndAcknowledgedAsync(MesosCluster cluster, string frameworkId, string taskId)
    {
        JsonObject? framework = null;
        await Eventually.TrueAsync(
            async _ =>
            {
                var state = await cluster.MasterStateAsync();
                framework = state["frameworks"]!.AsArray().Select(f => f!.AsObject())
                    .SingleOrDefault(f => f["id"]!.GetValue<string>() == frameworkId);
                return framework is not null
                    && framework["tasks"]!.AsArray().Count == 0
                    && framework["completed_tasks"]!.AsArray().Any(t => t!["id"]!.GetValue<string>() == taskId)
                    && framework["connected"]?.GetValue<bool>() == false;
            },
            $"/master/state to list {taskId} under completed_tasks, nothing under tasks, and framework {frameworkId} as disconnected",
            Patience);

        var task = framework!["completed_tasks"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == taskId)!;
        Assert.Equal("TASK_FINISHED", task["state"]!.GetValue<string>());
        var statuses = task["statuses"]!.AsArray().Select(s => s!["state"]!.GetValue<string>()).ToList();
        Assert.Contains("TASK_RUNNING", statuses);
        Assert.Equal("TASK_FINISHED", statuses[^1]);
        Assert.False(framework["active"]!.GetValue<bool>());

        await Eventually.TrueAsync(
            async _ => await cluster.AgentUsesNothingAsync(),
            "the finished task's resources to be released",
            Patience);
    }
}
