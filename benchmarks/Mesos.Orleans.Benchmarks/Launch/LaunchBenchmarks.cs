using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mesos.Orleans.AgentHost;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Orleans.Benchmarks.Launch;

/// <summary>Task launch latency on one agent, beside a bare fork/exec of the same command in the same run.
/// The agent is the real <see cref="AgentDaemon"/> (sandbox, checkpoint, cgroup with limits where the host has
/// cgroups, mesos-executor, the command) driven in-process with RUN_TASK events, as the master's connection
/// would deliver them. A launch is measured from the RUN_TASK event to the moment the agent enqueues
/// TASK_RUNNING, which it does when the executor has reported that the command was exec'd (posix_spawn returns
/// once the exec succeeded). The baseline is <see cref="Process.Start(ProcessStartInfo)"/> of the same
/// <c>/bin/sh -c COMMAND</c>, which returns once its fork and exec succeeded.</summary>
internal static class LaunchBenchmarks
{
    private static readonly FrameworkId Framework = new("launch-benchmark");

    public static int Run(LaunchBenchmarkOptions options)
    {
        var workDir = Directory.CreateTempSubdirectory("launch-benchmark-");
        try
        {
            return RunIn(options, workDir.FullName).GetAwaiter().GetResult();
        }
        finally
        {
            workDir.Delete(recursive: true);
        }
    }

    private static async Task<int> RunIn(LaunchBenchmarkOptions options, string workDir)
    {
        var agentOptions = new AgentOptions
        {
            WorkDir = workDir,
            Master = new Uri("http://127.0.0.1:9"),
            Resources = "cpus:64;mem:65536;disk:10000;ports:[31000-31001]",
            Isolation = options.Posix ? "posix" : null,
        };
        using var agent = new AgentDaemon(agentOptions, TimeProvider.System, NullLogger<AgentDaemon>.Instance);
        agent.Subscribed(new AgentId("launch-benchmark-agent"));
        var running = new ConcurrentDictionary<string, TaskCompletionSource<long>>();
        var ended = new ConcurrentDictionary<string, TaskCompletionSource<TaskState>>();

        // The agent checkpoints each status update the moment it is enqueued: the hook sees TASK_RUNNING there.
        var persist = agent.Updates.Persist!;
        agent.Updates.Persist = (framework, task, pending) =>
        {
            persist(framework, task, pending);
            var state = pending.Count > 0 ? pending[^1].State : null;
            if (state == TaskState.TASK_RUNNING && running.TryGetValue(task.Value, out var started))
            {
                started.TrySetResult(Stopwatch.GetTimestamp());
            }
            else if (state is { } terminal && TaskStates.IsTerminal(terminal) && ended.TryGetValue(task.Value, out var end))
            {
                end.TrySetResult(terminal);
            }
        };

        Console.WriteLine($"Launch latency on one agent: {agent.Isolator?.Version ?? "posix (no cgroups)"}, executor {agent.Executor}");
        Console.WriteLine($"Command: /bin/sh -c '{options.Command}' with {options.TaskResources}; warm-up {options.Warmup}, measured {options.Launches} one at a time, burst of {options.Burst}");

        var sequence = 0;
        async Task<double> LaunchOneAsync()
        {
            var id = $"t{sequence++}";
            var started = running[id] = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var end = ended[id] = new TaskCompletionSource<TaskState>(TaskCreationOptions.RunContinuationsAsynchronously);
            var begin = Stopwatch.GetTimestamp();
            agent.Handle(RunTask(id, options));
            var at = await started.Task.ConfigureAwait(false);
            var state = await end.Task.ConfigureAwait(false);
            if (state != TaskState.TASK_FINISHED)
            {
                throw new InvalidOperationException($"Task {id} ended {state}");
            }

            // The agent tops its executor pool up after each launch; the next measurement (of either side) waits
            // for that, so that it does not compete with a prestart the way no launch at a steady rate would.
            await PoolRefilledAsync().ConfigureAwait(false);

            return Stopwatch.GetElapsedTime(begin, at).TotalMilliseconds;
        }

        async Task PoolRefilledAsync()
        {
            var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
            while (agent.Executors.Ready < agentOptions.PrestartedExecutors)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException("The agent's executor pool was not refilled within 10 s");
                }

                await Task.Delay(1).ConfigureAwait(false);
            }
        }

        static double ForkExecOne(string command)
        {
            var begin = Stopwatch.GetTimestamp();
            using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { UseShellExecute = false })!;
            var elapsed = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            process.WaitForExit();
            return elapsed;
        }

        for (var i = 0; i < options.Warmup; i++)
        {
            _ = await LaunchOneAsync().ConfigureAwait(false);
            _ = ForkExecOne(options.Command);
        }

        // Interleaved, so that both see the same machine at the same moments.
        var agentLatencies = new List<double>(options.Launches);
        var baseline = new List<double>(options.Launches);
        for (var i = 0; i < options.Launches; i++)
        {
            agentLatencies.Add(await LaunchOneAsync().ConfigureAwait(false));
            baseline.Add(ForkExecOne(options.Command));
        }

        // Throughput: a burst of RUN_TASKs at once, until every task runs; the baseline starts as many
        // processes one after another.
        var burstIds = Enumerable.Range(0, options.Burst).Select(_ => $"t{sequence++}").ToList();
        var burstRunning = burstIds.Select(id => (running[id] = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task).ToList();
        var burstEnded = burstIds.Select(id => (ended[id] = new TaskCompletionSource<TaskState>(TaskCreationOptions.RunContinuationsAsynchronously)).Task).ToList();
        var burstBegin = Stopwatch.GetTimestamp();
        foreach (var id in burstIds)
        {
            agent.Handle(RunTask(id, options));
        }

        var lastRunning = (await Task.WhenAll(burstRunning).ConfigureAwait(false)).Max();
        var agentPerSecond = options.Burst / Stopwatch.GetElapsedTime(burstBegin, lastRunning).TotalSeconds;
        _ = await Task.WhenAll(burstEnded).ConfigureAwait(false);

        var baselineBegin = Stopwatch.GetTimestamp();
        var processes = new List<Process>(options.Burst);
        for (var i = 0; i < options.Burst; i++)
        {
            processes.Add(Process.Start(new ProcessStartInfo("/bin/sh", ["-c", options.Command]) { UseShellExecute = false })!);
        }

        var baselinePerSecond = options.Burst / Stopwatch.GetElapsedTime(baselineBegin).TotalSeconds;
        foreach (var process in processes)
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
            process.Dispose();
        }

        var report = Report(options, new Percentiles(agentLatencies), new Percentiles(baseline), agentPerSecond, baselinePerSecond);
        Console.WriteLine(report);
        if (options.MarkdownPath is { } path)
        {
            await File.WriteAllTextAsync(path, report).ConfigureAwait(false);
        }

        return 0;
    }

    private static AgentEvent RunTask(string id, LaunchBenchmarkOptions options) => new()
    {
        Type = AgentEventType.RUN_TASK,
        RunTask = new RunTask
        {
            FrameworkId = Framework,
            Framework = new FrameworkInfo { Id = Framework, Name = "launch-benchmark", User = "root" },
            Task = new TaskInfo
            {
                Name = id,
                TaskId = new TaskId(id),
                AgentId = new AgentId("launch-benchmark-agent"),
                Resources = ResourceBag.Parse(options.TaskResources).ToWire(ResourceFormat.PreRefinement),
                Command = new CommandInfo { Value = options.Command },
            },
        },
    };

    private static string Report(LaunchBenchmarkOptions options, Percentiles agent, Percentiles baseline, double agentPerSecond, double baselinePerSecond)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"| launch ({options.Launches} one at a time) | p50 ms | p90 ms | p99 ms | max ms |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        text.AppendLine(c, $"| agent: RUN_TASK to command exec'd | {agent.P50:F2} | {agent.P90:F2} | {agent.P99:F2} | {agent.Max:F2} |");
        text.AppendLine(c, $"| baseline: fork/exec (Process.Start) | {baseline.P50:F2} | {baseline.P90:F2} | {baseline.P99:F2} | {baseline.Max:F2} |");
        text.AppendLine(c, $"| difference | {agent.P50 - baseline.P50:F2} | {agent.P90 - baseline.P90:F2} | {agent.P99 - baseline.P99:F2} | |");
        text.AppendLine();
        text.AppendLine(c, $"| burst of {options.Burst} | launches per second |");
        text.AppendLine("| --- | ---: |");
        text.AppendLine(c, $"| agent | {agentPerSecond:F0} |");
        text.AppendLine(c, $"| baseline: fork/exec | {baselinePerSecond:F0} |");
        return text.ToString();
    }
}
