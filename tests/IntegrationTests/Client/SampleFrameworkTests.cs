using System.Diagnostics;
using System.Globalization;
using Mesos.Orleans.Client;
using Mesos.Orleans.Client.Samples;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Waiting;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Client;

/// <summary>The two sample frameworks against real masters and agents.</summary>
public sealed class SampleFrameworkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_batch_runs_its_command_N_times_across_the_agents_and_returns_when_all_finished()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 2, agentResources: "cpus:0.3;mem:256;ports:[31000-31009]");
        using var client = MesosClient.Create(cluster.Master.ToString());
        var marks = Directory.CreateTempSubdirectory("batch-").FullName;

        // Three runs fit on each agent at once; eight need both agents and a second round.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var result = await new BatchFramework(client, $"touch {marks}/$MESOS_TASK_ID-$$", count: 8).RunAsync(deadline.Token);

        Assert.Equal((8, 0), (result.Finished, result.Failed));
        Assert.Equal(2, result.Agents.Count);
        Assert.Equal(8, Directory.GetFiles(marks).Length);
        Assert.Contains(await client.Frameworks.ListCompletedAsync(), f => f.FrameworkInfo?.Id == result.FrameworkId);
        Directory.Delete(marks, recursive: true);
    }

    [Fact]
    public async Task The_service_keeps_N_instances_running_and_replaces_one_that_dies()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 2);
        using var client = MesosClient.Create(cluster.Master.ToString());
        var pids = Directory.CreateTempSubdirectory("service-").FullName;
        var service = new ServiceFramework(client, $"echo $$ > {pids}/$PORT0.pid; exec sleep 600", instances: 3);
        using var stop = new CancellationTokenSource();
        var loop = service.RunAsync(stop.Token);

        await Eventually.TrueAsync(() => service.Running.Count == 3, "three instances running", TimeSpan.FromSeconds(60));
        Assert.Equal(3, service.Launched);
        var ports = (await client.Tasks.ListAsync()).Select(t => t.Resources!.Single(r => r.Name == "ports").Ranges!.Range![0].Begin).ToList();
        Assert.Equal(3, ports.Count);

        // One instance's process dies from outside; the framework starts a replacement.
        var victim = Directory.GetFiles(pids, "*.pid").First();
        using (var process = Process.GetProcessById(int.Parse((await File.ReadAllTextAsync(victim)).Trim(), CultureInfo.InvariantCulture)))
        {
            process.Kill();
        }

        await Eventually.TrueAsync(() => service.Launched == 4 && service.Running.Count == 3, "a replacement to run beside the two survivors", TimeSpan.FromSeconds(60));
        var tasks = await client.Tasks.ListAsync();
        Assert.Equal(3, tasks.Count(t => t.State == TaskState.TASK_RUNNING && t.FrameworkId == service.FrameworkId));
        Assert.Contains(await client.Tasks.ListCompletedAsync(), t => t.FrameworkId == service.FrameworkId && TaskStates.IsTerminal(t.State!.Value));
        Assert.False(loop.IsCompleted);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        await client.Frameworks.TearDownAsync(service.FrameworkId!);
        Directory.Delete(pids, recursive: true);
    }
}
