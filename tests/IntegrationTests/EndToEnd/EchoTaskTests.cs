using System.Net;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Mesos.Orleans.Testing.Waiting;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.EndToEnd;

/// <summary>The walking skeleton end to end: real master and agent processes on loopback, a framework
/// speaking the v1 HTTP API, a real task process and its sandbox.</summary>
public sealed class EchoTaskTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Echo_hello_runs_to_finished_and_leaves_hello_in_its_sandbox_stdout()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "e2e" });

        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        Assert.NotNull(offer.Url?.Address?.Ip);

        using var accepted = await scheduler.CallAsync(Accept(offer, "echo-1", "echo hello"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var states = new List<TaskState>();
        TaskStatus status;
        do
        {
            status = await scheduler.NextUpdateAsync("echo-1", Patience);
            states.Add(status.State!.Value);
            Assert.Equal(16, status.Uuid?.Length);
            Assert.Equal(offer.AgentId, status.AgentId);
            await scheduler.AcknowledgeAsync(status);
        }
        while (!TaskStates.IsTerminal(status.State!.Value));

        Assert.Equal([TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED], states);
        var stdout = Directory.GetFiles(cluster.Root, "stdout", SearchOption.AllDirectories)
            .Single(p => p.Contains($"{Path.DirectorySeparatorChar}echo-1{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.Equal("hello\n", await File.ReadAllTextAsync(stdout));

        // The master's record leads to the logs in one step: the agent serves them at the task's stdout_url.
        var completed = (await cluster.MasterStateAsync())["frameworks"]![0]!["completed_tasks"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == "echo-1")!;
        Assert.Equal(Path.GetDirectoryName(stdout), completed["sandbox"]!.GetValue<string>());
        var read = await cluster.GetJsonAsync(new Uri(completed["stdout_url"]!.GetValue<string>()));
        Assert.Equal("hello\n", read["data"]!.GetValue<string>());

        // The agent counts it, under Mesos's names and mesos_exporter's.
        var metrics = await cluster.GetJsonAsync(new Uri(cluster.AgentUrls[0], "/metrics/snapshot"));
        Assert.Equal((1.0, 1.0), (metrics["slave/tasks_finished"]!.GetValue<double>(), metrics["slave/registered"]!.GetValue<double>()));
        Assert.Contains("mesos_slave_registered 1", await cluster.Http.GetStringAsync(new Uri(cluster.AgentUrls[0], "/metrics")), StringComparison.Ordinal);

        // The task's resources went back to the agent.
        await Eventually.TrueAsync(
            async _ => await cluster.AgentUsesNothingAsync(),
            "the finished task's resources to be released",
            Patience);
    }

    [Fact]
    public async Task A_failing_command_ends_TASK_FAILED_with_its_exit_status()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "e2e" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];

        using var accepted = await scheduler.CallAsync(Accept(offer, "fail-1", "echo oops >&2; exit 3"));

        TaskStatus status;
        do
        {
            status = await scheduler.NextUpdateAsync("fail-1", Patience);
            await scheduler.AcknowledgeAsync(status);
        }
        while (!TaskStates.IsTerminal(status.State!.Value));

        Assert.Equal(TaskState.TASK_FAILED, status.State);
        Assert.Equal("Command exited with status 3", status.Message);
        var stderr = Directory.GetFiles(cluster.Root, "stderr", SearchOption.AllDirectories)
            .Single(p => p.Contains($"{Path.DirectorySeparatorChar}fail-1{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.Equal("oops\n", await File.ReadAllTextAsync(stderr));
    }

    internal static Call Accept(Offer offer, string taskId, string command) =>
        Calls.Launch(offer, Calls.CommandTask(offer, taskId, command));
}
