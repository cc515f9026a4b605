using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.EndToEnd;

/// <summary>What mesos-executor does for every task: argv-form commands run without a shell, a task killed by
/// a signal is reported as such, stdin is /dev/null, and the task leads a session of its own.</summary>
public sealed class ExecutorTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Argv_commands_run_without_a_shell_and_a_signal_death_is_reported_with_the_signal()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "executor" });
        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        var argv = Calls.CommandTask(offer, "argv", "unused");
        argv.Command = new CommandInfo { Shell = false, Value = "/usr/bin/printf", Arguments = ["printf", "%s|%s\\n", "$HOME", "two words"] };
        var signalled = Calls.CommandTask(offer, "signalled", "kill -KILL $$");
        var session = Calls.CommandTask(offer, "session", "cat; cut -d' ' -f1,5,6 /proc/$$/stat");

        using var accepted = await scheduler.CallAsync(Calls.Launch(offer, argv, signalled, session));

        Assert.Equal(TaskState.TASK_FINISHED, (await scheduler.TerminalAsync("argv", Patience)).State);
        Assert.Equal("$HOME|two words\n", await File.ReadAllTextAsync(Path.Combine(Sandbox(cluster, "argv"), "stdout")));

        var killed = await scheduler.TerminalAsync("signalled", Patience);
        Assert.Equal((TaskState.TASK_FAILED, "Command terminated with signal Killed"), (killed.State!.Value, killed.Message));
        Assert.Equal("137\nsignal 9\n", await File.ReadAllTextAsync(Path.Combine(Sandbox(cluster, "signalled"), ".exit_status")));

        // cat ends at once on /dev/null; the shell's pid, process group and session are one number.
        Assert.Equal(TaskState.TASK_FINISHED, (await scheduler.TerminalAsync("session", Patience)).State);
        var ids = (await File.ReadAllTextAsync(Path.Combine(Sandbox(cluster, "session"), "stdout"))).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, ids.Length);
        Assert.All(ids, id => Assert.Equal(ids[0], id));
    }

    private static string Sandbox(MesosCluster cluster, string taskId) =>
        Path.GetDirectoryName(Directory.GetFiles(cluster.Root, "stdout", SearchOption.AllDirectories)
            .Single(p => p.Contains($"{Path.DirectorySeparatorChar}executors{Path.DirectorySeparatorChar}{taskId}{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))!;
}
