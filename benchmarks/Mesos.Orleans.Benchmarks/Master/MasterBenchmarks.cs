using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Resources;
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
    private const double TaskCpus = 0.01;
    private const double TaskMem = 1;
    private static readonly ResourceBag TaskResources = ResourceBag.Parse("cpus:0.01;mem:1");

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
                            ? Calls.Launch(offer, Calls.CommandTask(offer, $"c{Interlocked.Increment(ref taskNumber)}", "true", TaskResources))
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

    /// <summary>The launching framework: on each offer, as many tiny tasks as fit (up to the cap and to the
    /// tasks still wanted) in one ACCEPT; offers it has no use for yet are held for the next target;
    /// every RUNNING update is acknowledged.</summary>
    private sealed class LaunchFramework(int capacity, int? maxPerAccept)
    {
        private readonly object _gate = new();
        private readonly Queue<Offer> _held = new();
        private readonly long[] _acceptedAt = new long[capacity];
        private readonly double[] _latencyMs = new double[capacity];
        private readonly Channel<TaskStatus> _acks = Channel.CreateUnbounded<TaskStatus>();
        private readonly List<Task> _inFlight = [];
        private SchedulerSession? _session;
        private int _nextTask;
        private int _wantedUpTo;
        private int _running;
        private int _runStart;
        private int _accepts;
        private long _firstAccept;
        private long _lastRunning;
        private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();

        public async Task RunAsync(SchedulerSession session, CancellationToken cancellationToken)
        {
            _session = session;
            var ackers = Enumerable.Range(0, 16).Select(_ => Task.Run(() => AcknowledgeAsync(session, cancellationToken))).ToList();
            try
            {
                await foreach (var @event in session.EventsAsync(cancellationToken).ConfigureAwait(false))
                {
                    switch (@event.Type)
                    {
                        case EventType.OFFERS:
                            foreach (var offer in @event.Offers!.Offers ?? [])
                            {
                                lock (_gate)
                                {
                                    _held.Enqueue(offer);
                                }
                            }

                            UseHeldOffers();
                            break;
                        case EventType.UPDATE when @event.Update!.Status is { State: TaskState.TASK_RUNNING } status:
                            var now = Stopwatch.GetTimestamp();
                            var index = int.Parse(status.TaskId!.Value.AsSpan(1), CultureInfo.InvariantCulture);
                            _latencyMs[index] = Stopwatch.GetElapsedTime(Volatile.Read(ref _acceptedAt[index]), now).TotalMilliseconds;
                            _acks.Writer.TryWrite(status);
                            if (Interlocked.Increment(ref _running) == Volatile.Read(ref _wantedUpTo))
                            {
                                _lastRunning = now;
                                _done.TrySetResult();
                            }

                            break;
                        case EventType.UPDATE:
                            Errors.Enqueue($"unexpected update {@event.Update!.Status?.State} {@event.Update.Status?.Message}");
                            _acks.Writer.TryWrite(@event.Update.Status!);
                            break;
                        default:
                            break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                _acks.Writer.TryComplete();
                await Task.WhenAll(ackers).ConfigureAwait(false);
            }
        }

        /// <summary>Launches <paramref name="count"/> more tasks; done when all of them are RUNNING.</summary>
        public async Task<LaunchResult> LaunchAsync(int count, TimeSpan timeout)
        {
            Task done;
            lock (_gate)
            {
                _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _runStart = _wantedUpTo;
                _wantedUpTo += count;
                _firstAccept = 0;
                _accepts = 0;
                done = _done.Task;
            }

            UseHeldOffers();
            try
            {
                await done.WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"{Volatile.Read(ref _running) - _runStart} of {count} tasks RUNNING after {timeout.TotalSeconds:F0} s; {Errors.Count} errors {Errors.FirstOrDefault()}");
            }

            var seconds = Stopwatch.GetElapsedTime(_firstAccept, _lastRunning).TotalSeconds;
            var latencies = _latencyMs.AsSpan(_runStart, count).ToArray().ToList();
            latencies.Sort();
            return new LaunchResult(count / seconds, _accepts, Percentile(latencies, 0.5), Percentile(latencies, 0.99), latencies[^1]);
        }

        private void UseHeldOffers()
        {
            List<(Offer Offer, List<TaskInfo> Tasks)> accepts = [];
            lock (_gate)
            {
                while (_nextTask < _wantedUpTo && _held.TryDequeue(out var offer))
                {
                    var fit = Fit(offer);
                    var n = Math.Min(Math.Min(fit, _wantedUpTo - _nextTask), maxPerAccept ?? int.MaxValue);
                    if (n <= 0)
                    {
                        continue;
                    }

                    var now = Stopwatch.GetTimestamp();
                    if (_firstAccept == 0)
                    {
                        _firstAccept = now;
                    }

                    var tasks = new List<TaskInfo>(n);
                    for (var i = 0; i < n; i++)
                    {
                        var index = _nextTask++;
                        _acceptedAt[index] = now;
                        tasks.Add(Calls.CommandTask(offer, $"t{index}", "true", TaskResources));
                    }

                    _accepts++;
                    accepts.Add((offer, tasks));
                }
            }

            foreach (var (offer, tasks) in accepts)
            {
                var session = _session!;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await session.SendAsync(Calls.Launch(offer, tasks)).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is MesosCallException or HttpRequestException or IOException)
                    {
                        Errors.Enqueue($"ACCEPT failed: {e.Message}");
                    }
                });
            }
        }

        private async Task AcknowledgeAsync(SchedulerSession session, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var status in _acks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    try
                    {
                        await session.AcknowledgeAsync(status, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is MesosCallException or HttpRequestException or IOException)
                    {
                        Errors.Enqueue($"ACKNOWLEDGE failed: {e.Message}");
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        private static int Fit(Offer offer)
        {
            double cpus = 0, mem = 0;
            foreach (var r in offer.Resources ?? [])
            {
                if (r.Name == "cpus")
                {
                    cpus += r.Scalar?.Value ?? 0;
                }
                else if (r.Name == "mem")
                {
                    mem += r.Scalar?.Value ?? 0;
                }
            }

            // A hair under the exact quotient: 64 / 0.01 in floating point must not round up past the offer.
            return (int)Math.Min(Math.Floor((cpus / TaskCpus) + 1e-6), Math.Floor(mem / TaskMem));
        }
    }

    private sealed record LaunchResult(double TasksPerSecond, int Accepts, double P50, double P99, double Max);
}
