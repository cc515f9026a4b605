using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Silo;
using Microsoft.AspNetCore.Builder;

namespace Mesos.Orleans.Benchmarks.Master;

/// <summary>The master end to end: the master in-process on a loopback port (in-memory registry), simulated
/// agents on the real agent protocol, and a framework on the real scheduler HTTP API
/// (docs/benchmarks/master.md).</summary>
internal static class MasterBenchmarks
{
    public static int Run(MasterBenchmarkOptions options) => RunAsync(options).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(MasterBenchmarkOptions options)
    {
        var report = new StringBuilder();
        void Line(string text)
        {
            Console.WriteLine(text);
            report.AppendLine(text);
        }

        Line($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; load average at start: {LoadAverage()}");
        Line($"Server GC: {System.Runtime.GCSettings.IsServerGC}, latency mode {System.Runtime.GCSettings.LatencyMode}");
        Line(string.Empty);
        Line("| agents | tasks | launch tasks/s (first ACCEPT → last RUNNING) | ACCEPTs | accept→RUNNING p50 / p99 / max (ms) | RUN_TASKs at agents | ACKs at agents |");
        Line("| ---: | ---: | ---: | ---: | --- | ---: | ---: |");
        var memoryLines = new List<string>();
        var callLines = new List<string>();
        var failures = 0;
        foreach (var agents in options.AgentCounts)
        {
            try
            {
                var (launchRows, memory) = await LaunchPhaseAsync(agents, options).ConfigureAwait(false);
                foreach (var row in launchRows)
                {
                    Line(row);
                }

                memoryLines.Add(memory);
            }
            catch (Exception e) when (e is TimeoutException or HttpRequestException or MesosCallException or IOException or InvalidOperationException)
            {
                Line($"| {agents} | launch phase failed: {e.GetType().Name}: {e.Message} |");
                failures++;
            }
        }

        Line(string.Empty);
        Line("| agents | tasks held | ACKs at agents | managed heap Δ (MB) | working set Δ (MB) | heap per 100k tasks (MB) | working set per 100k tasks (MB) |");
        Line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var m in memoryLines)
        {
            Line(m);
        }

        foreach (var agents in options.AgentCounts)
        {
            try
            {
                callLines.AddRange(await CallPhaseAsync(agents, options).ConfigureAwait(false));
            }
            catch (Exception e) when (e is TimeoutException or HttpRequestException or MesosCallException or IOException or InvalidOperationException)
            {
                callLines.Add($"| {agents} | call phase failed: {e.GetType().Name}: {e.Message} |");
                failures++;
            }
        }

        Line(string.Empty);
        Line($"| agents | call | calls | concurrency | calls/s (over the call batches) | per-call p50 / p99 (ms) |");
        Line("| ---: | --- | ---: | ---: | ---: | --- |");
        foreach (var c in callLines)
        {
            Line(c);
        }

        Line(string.Empty);
        Line($"Load average at end: {LoadAverage()}");
        if (options.MarkdownPath is { } path)
        {
            await File.WriteAllTextAsync(path, report.ToString()).ConfigureAwait(false);
        }

        return failures == 0 ? 0 : 1;
    }

    /// <summary>Launch throughput for each target in turn on one master (tasks stay RUNNING), then the
    /// master's memory with all of them held.</summary>
    private static async Task<(List<string> Rows, string Memory)> LaunchPhaseAsync(int agentCount, MasterBenchmarkOptions options)
    {
        await using var master = await StartMasterAsync().ConfigureAwait(false);
        await using var agents = new SimulatedAgents(master.Uri, agentCount, senders: 64);
        await agents.StartAsync(parallelism: 64, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        await Task.Delay(500).ConfigureAwait(false);
        var (heap0, ws0) = Memory();

        var total = options.LaunchTargets.Sum();
        var framework = new LaunchFramework(total, options.MaxTasksPerAccept);
        await using var session = await SchedulerSession.SubscribeAsync(master.Uri, Framework("masterbench-launch")).ConfigureAwait(false);
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(() => framework.RunAsync(session, stop.Token));
        var rows = new List<string>();
        foreach (var target in options.LaunchTargets)
        {
            var result = await framework.LaunchAsync(target, TimeSpan.FromSeconds(Math.Max(60, target / 500.0))).ConfigureAwait(false);
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {agentCount} | {target:N0} | **{result.TasksPerSecond:N0}** | {result.Accepts} | {result.P50:F0} / {result.P99:F0} / {result.Max:F0} | {agents.RunTasks:N0} | {agents.Acknowledged:N0} |"));
            Console.Error.WriteLine(rows[^1]);
        }

        // Let the acknowledgements drain so that the master holds settled RUNNING tasks.
        var settle = Stopwatch.StartNew();
        while (agents.Acknowledged < total && settle.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200).ConfigureAwait(false);
        }

        var (heap1, ws1) = Memory();
        var heapDelta = (heap1 - heap0) / 1048576.0;
        var wsDelta = (ws1 - ws0) / 1048576.0;
        var memory = string.Create(CultureInfo.InvariantCulture,
            $"| {agentCount} | {total:N0} | {agents.Acknowledged:N0} | {heapDelta:F0} | {wsDelta:F0} | **{heapDelta * 100_000 / total:F0}** | {wsDelta * 100_000 / total:F0} |");
        Console.Error.WriteLine(memory);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(loop, Task.Delay(2000)).ConfigureAwait(false);
        if (!framework.Errors.IsEmpty)
        {
            Console.Error.WriteLine($"{framework.Errors.Count} call errors; first: {framework.Errors.First()}");
        }

        return (rows, memory);
    }

    /// <summary>ACCEPT calls (one task each) then DECLINE calls (refuse_seconds 0), each a batch of one offer
    /// per agent per allocation run, sent <see cref="MasterBenchmarkOptions.CallConcurrency"/> at a time.</summary>
    private static async Task<List<string>> CallPhaseAsync(int agentCount, MasterBenchmarkOptions options)
    {
        await using var master = await StartMasterAsync().ConfigureAwait(false);
        await using var agents = new SimulatedAgents(master.Uri, agentCount, senders: 64);
        await agents.StartAsync(parallelism: 64, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        await using var session = await SchedulerSession.SubscribeAsync(master.Uri, Framework("masterbench-calls")).ConfigureAwait(false);
        var offers = Channel.CreateUnbounded<Offer>();
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            try
            {
                await foreach (var @event in session.EventsAsync(stop.Token).ConfigureAwait(false))
                {
                    if (@event.Type == EventType.OFFERS)
                    {
                        foreach (var offer in @event.Offers!.Offers ?? [])
                        {
                            offers.Writer.TryWrite(offer);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var lines = new List<string>();
        var taskNumber = 0;
        foreach (var kind in new[] { CallType.ACCEPT, CallType.DECLINE })
        {
            long calls = 0;
            var busy = TimeSpan.Zero;
            var latencies = new List<double>();
            for (var round = 0; round < options.CallRounds; round++)
            {
                var batch = await TakeBatchAsync(offers.Reader, agentCount).ConfigureAwait(false);
                var perCall = new double[batch.Count];
                var clock = Stopwatch.StartNew();
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, batch.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = options.CallConcurrency },
                    async (i, ct) =>
                    {
                        var offer = batch[i];
                        var call = kind == CallType.ACCEPT
                            ? Calls.Launch(offer, Calls.CommandTask(offer, $"c{Interlocked.Increment(ref taskNumber)}", "true", LaunchResult.TaskResources))
                            : Calls.Decline(offer, refuseSeconds: 0);
                        var start = Stopwatch.GetTimestamp();
                        await session.SendAsync(call, ct).ConfigureAwait(false);
                        perCall[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    }).ConfigureAwait(false);
                busy += clock.Elapsed;
                calls += batch.Count;
                latencies.AddRange(perCall);
            }

            latencies.Sort();
            var line = string.Create(CultureInfo.InvariantCulture,
                $"| {agentCount} | {kind} | {calls:N0} | {options.CallConcurrency} | **{calls / busy.TotalSeconds:N0}** | {Percentile(latencies, 0.50):F1} / {Percentile(latencies, 0.99):F1} |");
            Console.Error.WriteLine(line);
            lines.Add(line);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(loop, Task.Delay(2000)).ConfigureAwait(false);
        return lines;
    }

    /// <summary>The offers of one allocation run: waits for the first, then takes more until there are
    /// <paramref name="max"/> or none comes for half a second.</summary>
    private static async Task<List<Offer>> TakeBatchAsync(ChannelReader<Offer> reader, int max)
    {
        var batch = new List<Offer>(max);
        using (var first = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            batch.Add(await reader.ReadAsync(first.Token).ConfigureAwait(false));
        }

        while (batch.Count < max)
        {
            if (reader.TryRead(out var offer))
            {
                batch.Add(offer);
                continue;
            }

            using var idle = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                batch.Add(await reader.ReadAsync(idle.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return batch;
    }

    internal static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private static FrameworkInfo Framework(string name) => new() { User = "bench", Name = name, FailoverTimeout = 0 };

    private static (long Heap, long WorkingSet) Memory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64);
    }

    internal static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static async Task<InProcessMaster> StartMasterAsync()
    {
        var port = FreePort();
        var dir = Directory.CreateTempSubdirectory("masterbench-").FullName;
        var app = await MasterHost.BuildAsync(
            [
                "--ip", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--work_dir", dir,
                "--registry", "in_memory", "--heartbeat_interval", "5", "--Logging:LogLevel:Default=Error",
            ],
            CancellationToken.None).ConfigureAwait(false);
        await app.StartAsync().ConfigureAwait(false);
        return new InProcessMaster(app, new Uri($"http://127.0.0.1:{port}"), dir);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record InProcessMaster(WebApplication App, Uri Uri, string WorkDir) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync().ConfigureAwait(false);
            await App.DisposeAsync().ConfigureAwait(false);
            try
            {
                Directory.Delete(WorkDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

}
