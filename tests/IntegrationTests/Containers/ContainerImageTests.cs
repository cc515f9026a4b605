using System.Text.Json;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Containers;

/// <summary>Tasks in a root filesystem unpacked from a local OCI image (ContainerInfo MESOS with a DOCKER
/// image), in their own mount and PID namespaces, as Mesos's unified containerizer runs them.</summary>
public sealed class ContainerImageTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _images = Directory.CreateTempSubdirectory("oci-images-");

    [Fact]
    public async Task A_task_runs_in_the_images_root_filesystem_and_its_own_pid_namespace()
    {
        var layout = Path.Combine(_images.FullName, "busybox-layout");
        BusyboxImage.WriteLayout(layout);
        BusyboxImage.WriteTarball(layout, Path.Combine(_images.FullName, "busybox.tar"));

        await using var cluster = await MesosCluster.StartAsync(output, agentArgs: ["--docker_registry", _images.FullName]);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "images" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        var inLayout = InImage(Calls.CommandTask(offer, "in-layout",
            "cat /etc/os-release; cat /etc/added-by-layer-2; test -e /etc/removed-by-layer-2 && echo whiteout-ignored; "
            + "test -e /etc/debian_version && echo host-visible; echo pid=$$; echo sandbox=$MESOS_SANDBOX; "
            + "echo written-inside > $MESOS_SANDBOX/inside.txt; echo to-stderr >&2; exit 3"), layout);
        var inTarball = InImage(Calls.CommandTask(offer, "in-tarball", "cat /etc/os-release"), "busybox");

        using var accepted = await scheduler.CallAsync(Calls.Launch(offer, inLayout, inTarball));

        var end = await scheduler.TerminalAsync("in-layout", Patience);
        Assert.Equal((TaskState.TASK_FAILED, "Command exited with status 3"), (end.State!.Value, end.Message));
        var sandbox = Sandbox(cluster, "in-layout");
        var lines = (await File.ReadAllTextAsync(Path.Combine(sandbox, "stdout"))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"NAME=\"{BusyboxImage.Marker}\"", lines[0]);
        Assert.Equal("layer 2", lines[1]);
        Assert.DoesNotContain("whiteout-ignored", lines);
        Assert.DoesNotContain("host-visible", lines);
        var pid = int.Parse(lines.Single(l => l.StartsWith("pid=", StringComparison.Ordinal))[4..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(pid, 2, 16); // pid 1 is the executor's init; the task is one of its first children.
        Assert.Contains("sandbox=/mnt/mesos/sandbox", lines);
        Assert.Equal("written-inside\n", await File.ReadAllTextAsync(Path.Combine(sandbox, "inside.txt")));
        Assert.Contains("to-stderr", await File.ReadAllTextAsync(Path.Combine(sandbox, "stderr")), StringComparison.Ordinal);

        Assert.Equal(TaskState.TASK_FINISHED, (await scheduler.TerminalAsync("in-tarball", Patience)).State);
        Assert.Equal($"NAME=\"{BusyboxImage.Marker}\"\n", await File.ReadAllTextAsync(Path.Combine(Sandbox(cluster, "in-tarball"), "stdout")));

        // The layout and its tarball are one image (one manifest digest), unpacked once; containers' writable
        // layers are gone with them.
        var provisioner = Directory.GetDirectories(cluster.Root, "provisioner", SearchOption.AllDirectories).Single();
        Assert.Single(Directory.GetDirectories(Path.Combine(provisioner, "images")));
        await Testing.Waiting.Eventually.TrueAsync(
            () => Directory.GetDirectories(Path.Combine(provisioner, "containers")).Length == 0, "container directories removed", Patience);
    }

    [Fact]
    public async Task A_bad_image_fails_the_launch_with_a_clear_message()
    {
        var corrupt = Path.Combine(_images.FullName, "corrupt");
        BusyboxImage.WriteLayout(corrupt);
        var blob = Directory.GetFiles(Path.Combine(corrupt, "blobs", "sha256")).OrderByDescending(f => new FileInfo(f).Length).First();
        File.WriteAllText(blob, "not the layer any more");

        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "images" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        var missing = InImage(Calls.CommandTask(offer, "missing-image", "true"), Path.Combine(_images.FullName, "no-such-image"));
        var broken = InImage(Calls.CommandTask(offer, "corrupt-image", "true"), corrupt);

        using var accepted = await scheduler.CallAsync(Calls.Launch(offer, missing, broken));

        var end = await scheduler.TerminalAsync("missing-image", Patience);
        Assert.Equal((TaskState.TASK_FAILED, TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED), (end.State!.Value, end.Reason!.Value));
        Assert.Contains("no-such-image' not found", end.Message, StringComparison.Ordinal);
        end = await scheduler.TerminalAsync("corrupt-image", Patience);
        Assert.Equal((TaskState.TASK_FAILED, TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED), (end.State!.Value, end.Reason!.Value));
        Assert.Contains("is corrupt", end.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_whose_mount_points_lead_out_of_it_is_refused()
    {
        var hostile = Path.Combine(_images.FullName, "hostile");
        BusyboxImage.WriteLayout(hostile, hostileTmp: true);
        var etcBefore = Directory.GetFileSystemEntries("/etc").Length;

        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "images" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        using var accepted = await scheduler.CallAsync(Calls.Launch(offer, InImage(Calls.CommandTask(offer, "hostile", "echo escaped > /tmp/escaped"), hostile)));

        var end = await scheduler.TerminalAsync("hostile", Patience);
        Assert.Equal((TaskState.TASK_FAILED, TaskStatusReason.REASON_CONTAINER_LAUNCH_FAILED), (end.State!.Value, end.Reason!.Value));
        Assert.Contains("not a plain directory", end.Message, StringComparison.Ordinal);
        Assert.False(File.Exists("/etc/escaped"));
        Assert.Equal(etcBefore, Directory.GetFileSystemEntries("/etc").Length);
    }

    [Fact]
    public async Task A_container_task_survives_an_agent_restart_and_is_reported_when_it_ends()
    {
        var layout = Path.Combine(_images.FullName, "busybox-layout");
        BusyboxImage.WriteLayout(layout);

        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "images", FailoverTimeout = 600 });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        using var accepted = await scheduler.CallAsync(Calls.Launch(offer, InImage(Calls.CommandTask(offer, "contained",
            "while [ ! -f /mnt/mesos/sandbox/go ]; do sleep 0.1; done; cat /etc/added-by-layer-2"), layout)));
        await scheduler.UntilAsync("contained", s => s.State == TaskState.TASK_RUNNING, Patience);
        var state = await cluster.GetJsonAsync(new Uri(cluster.AgentUrls[0], "/state"));
        var sandbox = state["tasks"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == "contained")!["directory"]!.GetValue<string>();

        await cluster.RestartAgentAsync(0);
        await cluster.WaitForAgentsAsync(1);
        File.WriteAllText(Path.Combine(sandbox, "go"), string.Empty);

        var end = await scheduler.UntilAsync("contained", s => TaskStates.IsTerminal(s.State!.Value), Patience);
        Assert.Equal(TaskState.TASK_FINISHED, end.State);
        Assert.Equal("layer 2\n", await File.ReadAllTextAsync(Path.Combine(sandbox, "stdout")));
        var containers = Path.Combine(Directory.GetDirectories(cluster.Root, "provisioner", SearchOption.AllDirectories).Single(), "containers");
        await Testing.Waiting.Eventually.TrueAsync(() => Directory.GetDirectories(containers).Length == 0, "the container's directory removed", Patience);
    }

    public void Dispose() => _images.Delete(recursive: true);

    private static TaskInfo InImage(TaskInfo task, string image)
    {
        task.Container = JsonSerializer.SerializeToElement(new
        {
            type = "MESOS",
            mesos = new { image = new { type = "DOCKER", docker = new { name = image } } },
        });
        return task;
    }

    private static string Sandbox(MesosCluster cluster, string taskId) =>
        Path.GetDirectoryName(Directory.GetFiles(cluster.Root, "stdout", SearchOption.AllDirectories)
            .Single(p => p.Contains($"{Path.DirectorySeparatorChar}executors{Path.DirectorySeparatorChar}{taskId}{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))!;
}
