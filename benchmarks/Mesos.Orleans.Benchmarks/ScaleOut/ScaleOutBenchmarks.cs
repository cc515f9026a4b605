using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mesos.Orleans.AgentHost.Isolation;
using Mesos.Orleans.Benchmarks.Master;
using Mesos.Orleans.Benchmarks.Usage;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Postgres;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Waiting;

namespace Mesos.Orleans.Benchmarks.ScaleOut;

/// <summary>
/// Scale-out: 1, 2, 3 … real mesos-master silos (--cluster postgres, a throwaway PostgreSQL), each held to the
/// same CPU share by a cgroup of its own; the load generator (this process) and PostgreSQL stay outside them.
/// Simulated agents and frameworks are spread evenly over the silos, and each framework's calls go to every
/// silo in turn, not only to the one holding its event stream. Measured for each cluster size: launch
/// throughput, scheduler calls/s (SUPPRESS) and operator calls/s (GET_AGENTS), and the CPU each silo used.
/// </summary>
internal static class ScaleOutBenchmarks
{
    private const int WarmupTasksPerFramework = 500;

    public static int Run(ScaleOutOptions options) => RunAsync(options).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(ScaleOutOptions options)
    {
        var report = new StringBuilder();
        void Line(string text)
        {
            Console.WriteLine(text);
            report.AppendLine(text);
        }

        Line($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; load average at start: {MasterBenchmarks.LoadAverage()}");
        Line(string.Create(CultureInfo.InvariantCulture,
            $"Each silo held to {options.CpusPerSilo:0.##} CPU by its cgroup; {options.Agents} simulated agents, {options.Frameworks} frameworks, {options.Tasks:N0} tasks launched (after {WarmupTasksPerFramework} per framework to warm up), calls for {options.CallWindow.TotalSeconds:F0} s with {options.CallConcurrency} in flight"));
        await using var postgres = await TestPostgres.StartAsync().ConfigureAwait(false);
        var results = new List<ClusterResult>();
        foreach (var silos in options.SiloCounts)
        {
            var result = await RunClusterAsync(postgres, silos, options).ConfigureAwait(false);
            Console.Error.WriteLine($"  {silos} silo(s): {result}");
            results.Add(result);
        }

        var baseline = results.FirstOrDefault(r => r.Silos == 1) ?? results[0];
        Line(string.Empty);
        Line("| silos | launch tasks/s | × one silo | SUPPRESS calls/s | × one silo | GET_AGENTS calls/s | × one silo | CPU used per silo during the launch (cores; master grain's silo first) |");
        Line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var r in results)
        {
            Line(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Silos} | **{r.LaunchPerSecond:N0}** | {r.LaunchPerSecond / baseline.LaunchPerSecond:F2} | **{r.SchedulerCallsPerSecond:N0}** | {r.SchedulerCallsPerSecond / baseline.SchedulerCallsPerSecond:F2} | **{r.OperatorCallsPerSecond:N0}** | {r.OperatorCallsPerSecond / baseline.OperatorCallsPerSecond:F2} | {string.Join(" / ", r.LaunchCoresBySilo.Select(c => c.ToString("F2", CultureInfo.InvariantCulture)))} |"));
        }

        Line(string.Empty);
        Line($"Load average at end: {MasterBenchmarks.LoadAverage()}");
        if (options.MarkdownPath is { } path)
        {
            await File.WriteAllTextAsync(path, report.ToString()).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<ClusterResult> RunClusterAsync(TestPostgres postgres, int silos, ScaleOutOptions options)
    {
        var database = await postgres.CreateDatabaseAsync().ConfigureAwait(false);
        await using var cluster = MesosCluster.Create(output: null);
        await cluster.StartSilosAsync(silos, database, "--heartbeat_interval", "5", "--Logging:LogLevel:Default=Warning").ConfigureAwait(false);
        var isolator = CgroupIsolator.Detect() ?? throw new InvalidOperationException("The scale-out benchmark holds each silo to a CPU share with a cgroup: run it as root on a host with cgroups mounted.");
        var groups = new List<TaskCgroup>();
        var fleets = new List<SimulatedAgents>();
        var sessions = new List<SchedulerSession>();
        using var stop = new CancellationTokenSource();
        try
        {
            for (var i = 0; i < silos; i++)
            {
                // The agent's own task cgroups (v1 or v2), with a CPU limit only.
                groups.Add(isolator.Create($"scaleout-silo{i}", new TaskLimits(options.CpusPerSilo, MemoryBytes: null, Pids: null)));
                foreach (var procs in groups[i].ProcsFiles)
                {
                    await File.WriteAllTextAsync(procs, cluster.Masters[i].Pid.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                }
            }

            var masterSilo = await cluster.MasterSiloAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var first = 0;
            for (var i = 0; i < silos; i++)
            {
                var count = (options.Agents / silos) + (i < options.Agents % silos ? 1 : 0);
                var fleet = new SimulatedAgents(cluster.MasterUrls[i], count, senders: 16, firstIndex: first);
                fleets.Add(fleet);
                first += count;
                await fleet.StartAsync(parallelism: 32, TimeSpan.FromMinutes(2)).ConfigureAwait(false);
            }

            var perFramework = options.Tasks / options.Frameworks;
            var frameworks = new List<LaunchFramework>();
            var loops = new List<Task>();
            for (var j = 0; j < options.Frameworks; j++)
            {
                var session = await SchedulerSession.SubscribeAsync(
                    cluster.MasterUrls[j % silos], new FrameworkInfo { User = "bench", Name = $"scaleout-{j}", FailoverTimeout = 0 }).ConfigureAwait(false);
                sessions.Add(session);
                var framework = new LaunchFramework(WarmupTasksPerFramework + perFramework, maxPerAccept: null, declineSurplus: true);
                frameworks.Add(framework);
                loops.Add(Task.Run(() => framework.RunAsync(session, stop.Token)));
            }

            try
            {
                await Task.WhenAll(frameworks.Select(f => f.LaunchAsync(WarmupTasksPerFramework, TimeSpan.FromMinutes(2)))).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                for (var j = 0; j < frameworks.Count; j++)
                {
                    Console.Error.WriteLine($"  framework {j} (silo {j % silos}): {frameworks[j]}");
                }

                throw;
            }

            var order = Enumerable.Range(0, silos).OrderBy(i => i == masterSilo ? 0 : 1).ThenBy(i => i).ToList();
            var cpuBefore = order.Select(i => MasterProcess.CpuSecondsOf(cluster.Masters[i].Pid)).ToList();
            var clock = Stopwatch.StartNew();
            var launched = await Task.WhenAll(frameworks.Select(f => f.LaunchAsync(perFramework, TimeSpan.FromMinutes(5)))).ConfigureAwait(false);

            // From the first ACCEPT of any framework to the last TASK_RUNNING of any: the wait for the first
            // offers (up to an allocation interval) is not the cluster's launch rate.
            var launchSeconds = Stopwatch.GetElapsedTime(launched.Min(l => l.FirstAccept), launched.Max(l => l.LastRunning)).TotalSeconds;
            var cores = order.Select((i, k) => (MasterProcess.CpuSecondsOf(cluster.Masters[i].Pid) - cpuBefore[k]) / clock.Elapsed.TotalSeconds).ToList();
            foreach (var error in frameworks.SelectMany(f => f.Errors).Take(3))
            {
                Console.Error.WriteLine($"  launch error: {error}");
            }

            var schedulerCalls = await CallsPerSecondAsync(options, HttpStatusCode.Accepted, n =>
            {
                var session = sessions[n % sessions.Count];
                var call = new Call { Type = CallType.SUPPRESS, FrameworkId = session.FrameworkId };
                return SchedulerRequests.Create(cluster.MasterUrls[(n / sessions.Count) % silos], call, session.StreamId);
            }).ConfigureAwait(false);
            var operatorCalls = await CallsPerSecondAsync(options, HttpStatusCode.OK, n =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, new Uri(cluster.MasterUrls[n % silos], "/api/v1"))
                {
                    Content = new StringContent("""{"type":"GET_AGENTS"}""", Encoding.UTF8),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return request;
            }).ConfigureAwait(false);

            var throttled = groups.Sum(g => g.Statistics(timestamp: 0).CpusThrottledTimeSecs ?? 0);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  silos throttled {throttled:F1} s in all; master grain on silo {masterSilo}"));
            return new ClusterResult(silos, perFramework * options.Frameworks / launchSeconds, schedulerCalls, operatorCalls, cores);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var session in sessions)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var fleet in fleets)
            {
                await fleet.DisposeAsync().ConfigureAwait(false);
            }

            // The silos go with their cgroups (the cluster's disposal finds them gone), which can then be removed.
            foreach (var group in groups)
            {
                group.KillAll();
                await Eventually.TrueAsync(_ => Task.FromResult(group.TryDestroy()), "a silo's cgroup to empty", TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Calls made by <see cref="ScaleOutOptions.CallConcurrency"/> workers for the call window; a call
    /// answered with another status than <paramref name="expected"/> fails the run.</summary>
    private static async Task<double> CallsPerSecondAsync(ScaleOutOptions options, HttpStatusCode expected, Func<int, HttpRequestMessage> request)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var next = -1;
        long completed = 0;
        var latency = new System.Collections.Concurrent.ConcurrentDictionary<int, (long Calls, double Milliseconds)>();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.CallConcurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < options.CallWindow)
            {
                using var message = request(Interlocked.Increment(ref next));
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(message).ConfigureAwait(false);
                var took = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                latency.AddOrUpdate(message.RequestUri!.Port, (1, took), (_, sum) => (sum.Calls + 1, sum.Milliseconds + took));
                if (Interlocked.Read(ref completed) == 0)
                {
                    Console.Error.WriteLine($"  a response: {(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false)).Length:N0} bytes");
                }

                if (response.StatusCode != expected)
                {
                    throw new HttpRequestException($"{message.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
                }

                Interlocked.Increment(ref completed);
            }
        }));
        await Task.WhenAll(workers).ConfigureAwait(false);
        var rate = Interlocked.Read(ref completed) / clock.Elapsed.TotalSeconds;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {rate:N0} calls/s; mean latency by silo port: {string.Join(", ", latency.OrderBy(l => l.Key).Select(l => $"{l.Key}: {l.Value.Milliseconds / l.Value.Calls:F1} ms over {l.Value.Calls} calls"))}"));
        return rate;
    }

    private sealed record ClusterResult(int Silos, double LaunchPerSecond, double SchedulerCallsPerSecond, double OperatorCallsPerSecond, IReadOnlyList<double> LaunchCoresBySilo);
}
