using System.Diagnostics;
using System.Net;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Sandbox;

/// <summary>What lands in a sandbox before a task starts (URIs fetched, archives extracted, executables
/// marked) and the user the task runs as.</summary>
public sealed class FetcherAndUserTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("fetch-");

    [Fact]
    public async Task Uris_are_fetched_from_local_paths_and_http_extracted_and_made_executable()
    {
        File.WriteAllText(Path.Combine(_files.FullName, "data.txt"), "from-archive\n");
        Run("tar", "-czf", Path.Combine(_files.FullName, "bundle.tar.gz"), "-C", _files.FullName, "data.txt");
        File.WriteAllText(Path.Combine(_files.FullName, "tool.sh"), "#!/bin/sh\necho from-tool\n");
        using var server = ServeOnce(File.ReadAllBytes(Path.Combine(_files.FullName, "tool.sh")), out var url);

        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "fetch" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        var task = Calls.CommandTask(offer, "fetched", "cat data.txt && ./tool.sh");
        task.Command!.Uris =
        [
            new CommandUri { Value = Path.Combine(_files.FullName, "bundle.tar.gz") },
            new CommandUri { Value = url, Executable = true, OutputFile = "tool.sh" },
        ];

        using var accepted = await scheduler.CallAsync(Calls.Launch(offer, task));

        var end = await scheduler.TerminalAsync("fetched", Patience);
        Assert.Equal(TaskState.TASK_FINISHED, end.State);
        Assert.Equal("from-archive\nfrom-tool\n", await File.ReadAllTextAsync(Stdout(cluster, "fetched")));
    }

    [Fact]
    public async Task A_uri_that_cannot_be_fetched_fails_the_launch()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "fetch" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        var task = Calls.CommandTask(offer, "missing", "true");
        task.Command!.Uris = [new CommandUri { Value = Path.Combine(_files.FullName, "no-such-file") }];

        using var accepted = await scheduler.CallAsync(Calls.Launch(offer, task));

        var end = await scheduler.TerminalAsync("missing", Patience);
        Assert.Equal((TaskState.TASK_FAILED, TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED), (end.State!.Value, end.Reason!.Value));
        Assert.Contains("no-such-file", end.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_runs_as_its_commands_user()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "users" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        var task = Calls.CommandTask(offer, "as-nobody", "id -un; echo $USER");
        task.Command!.User = "nobody";

        using var accepted = await scheduler.CallAsync(Calls.Launch(offer, task));

        Assert.Equal(TaskState.TASK_FINISHED, (await scheduler.TerminalAsync("as-nobody", Patience)).State);
        Assert.Equal("nobody\nnobody\n", await File.ReadAllTextAsync(Stdout(cluster, "as-nobody")));
    }

    public void Dispose() => _files.Delete(recursive: true);

    private static string Stdout(MesosCluster cluster, string taskId) =>
        Directory.GetFiles(cluster.Root, "stdout", SearchOption.AllDirectories)
            .Single(p => p.Contains($"{Path.DirectorySeparatorChar}executors{Path.DirectorySeparatorChar}{taskId}{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args)) ?? throw new InvalidOperationException(file);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    /// <summary>Serves one file over http on loopback for as long as the returned listener lives.</summary>
    private static HttpListener ServeOnce(byte[] body, out string url)
    {
        var port = FreePort.Next();
        url = $"http://127.0.0.1:{port}/files/tool";
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                try
                {
                    var context = await listener.GetContextAsync();
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        });
        return listener;
    }
}
