using System.Net;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.EndToEnd;

/// <summary>LAUNCH_GROUP with real processes: tasks of a group run under one default executor, each in
/// tasks/TASK_ID of the executor's sandbox, and a failing task takes the group down.</summary>
public sealed class TaskGroupTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_tasks_of_a_group_run_to_finished_in_their_own_directories()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "groups" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];

        using var accepted = await scheduler.CallAsync(Group(offer, "g1", ("a", "echo from-a"), ("b", "echo from-b")));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(TaskState.TASK_FINISHED, (await scheduler.TerminalAsync("a", Patience)).State);
        Assert.Equal(TaskState.TASK_FINISHED, (await scheduler.TerminalAsync("b", Patience)).State);
        var stdout = Directory.GetFiles(cluster.Root, "stdout", SearchOption.AllDirectories)
            .Single(p => p.Contains($"{Path.DirectorySeparatorChar}executors{Path.DirectorySeparatorChar}g1{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && p.Contains($"{Path.DirectorySeparatorChar}tasks{Path.DirectorySeparatorChar}a{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.Equal("from-a\n", await File.ReadAllTextAsync(stdout));
    }

    [Fact]
    public async Task A_failing_task_kills_the_rest_of_its_group()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "groups" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];

        using var accepted = await scheduler.CallAsync(Group(offer, "g2", ("fails", "exit 7"), ("sleeps", "sleep 60")));

        Assert.Equal(TaskState.TASK_FAILED, (await scheduler.TerminalAsync("fails", Patience)).State);
        Assert.Equal(TaskState.TASK_KILLED, (await scheduler.TerminalAsync("sleeps", Patience)).State);
    }

    private static Call Group(Offer offer, string executorId, params (string Id, string Command)[] tasks) => new()
    {
        Type = CallType.ACCEPT,
        Accept = new AcceptCall
        {
            OfferIds = [offer.Id!],
            Operations =
            [
                new OfferOperation
                {
                    Type = OperationType.LAUNCH_GROUP,
                    LaunchGroup = new LaunchGroupOperation
                    {
                        Executor = new ExecutorInfo
                        {
                            Type = "DEFAULT",
                            ExecutorId = new ExecutorId(executorId),
                            Resources = ResourceBag.Parse("cpus:0.1;mem:32").ToWire(ResourceFormat.PreRefinement),
                        },
                        TaskGroup = new TaskGroupInfo { Tasks = [.. tasks.Select(t => Calls.CommandTask(offer, t.Id, t.Command))] },
                    },
                },
            ],
        },
    };
}
