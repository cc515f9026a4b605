using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Sandbox;

/// <summary>Health checks with Mesos's semantics on real tasks. HTTP and TCP checks probe the agent's own
/// port, which is always open on loopback.</summary>
public sealed class HealthCheckTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Kinds => ["COMMAND", "HTTP", "TCP"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_passing_check_reports_the_task_healthy(string kind)
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "health" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        var task = Calls.CommandTask(offer, "checked", "sleep 60");
        var port = cluster.AgentUrls[0].Port;
        task.HealthCheck = kind switch
        {
            "COMMAND" => Check(HealthCheckType.COMMAND, c => c.Command = new CommandInfo { Value = "true" }),
            "HTTP" => Check(HealthCheckType.HTTP, c => c.Http = new HttpCheck { Port = port, Path = "/health" }),
            _ => Check(HealthCheckType.TCP, c => c.Tcp = new TcpCheck { Port = port }),
        };

        using var accepted = await scheduler.CallAsync(Calls.Launch(offer, task));

        var healthy = await scheduler.UntilAsync("checked", s => s.Healthy is not null, Patience);
        Assert.Equal((TaskState.TASK_RUNNING, true, TaskStatusReason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED), (healthy.State!.Value, healthy.Healthy!.Value, healthy.Reason!.Value));
    }

    [Fact]
    public async Task A_task_failing_its_check_the_allowed_number_of_times_is_killed()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "health" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        var task = Calls.CommandTask(offer, "sick", "sleep 60");
        task.HealthCheck = Check(HealthCheckType.COMMAND, c => c.Command = new CommandInfo { Value = "exit 1" });

        using var accepted = await scheduler.CallAsync(Calls.Launch(offer, task));

        var unhealthy = await scheduler.UntilAsync("sick", s => s.Healthy == false, Patience);
        Assert.Equal(TaskState.TASK_RUNNING, unhealthy.State);
        var end = await scheduler.UntilAsync("sick", s => TaskStates.IsTerminal(s.State!.Value), Patience);
        Assert.Equal(TaskState.TASK_KILLED, end.State);
        Assert.Contains("health check", end.Message, StringComparison.Ordinal);
    }

    private static HealthCheck Check(HealthCheckType type, Action<HealthCheck> configure)
    {
        var check = new HealthCheck { Type = type, DelaySeconds = 0, IntervalSeconds = 0.2, TimeoutSeconds = 5, GracePeriodSeconds = 0, ConsecutiveFailures = 2 };
        configure(check);
        return check;
    }
}
