using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Mesos.Orleans.Benchmarks.Usage;

/// <summary>What usage reports cost the master: its CPU time and memory with N agents connected, first
/// without reports, then with every agent reporting once per interval. See docs/benchmarks/usage.md.</summary>
internal static class UsageBenchmarks
{
    public static int Run(UsageBenchmarkOptions options) => RunAsync(options).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(UsageBenchmarkOptions options)
    {
        var report = new StringBuilder();
        void Line(string text)
        {
            Console.WriteLine(text);
            report.AppendLine(text);
        }

        Line($"Machine: {System.Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {System.Environment.Version}; load average at start: {LoadAverage()}");
        Line($"{options.Agents:N0} agents × {options.TasksPerAgent} tasks, one report per agent every {options.Interval.TotalSeconds:0.##} s " +
             $"({options.Agents / options.Interval.TotalSeconds:N0} reports/s), measured over {options.Rounds} × {options.Measure.TotalSeconds:0} s without and with reports, alternating; " +
             (options.Stream ? $"each agent streams its reports on one long-lived POST (RecordIO) to {(options.MainPort ? "the master's main port (Kestrel)" : "the master's usage receiver (usage_url)")}" : $"one POST per report, {options.Senders} in flight at most"));
        await using var master = await MasterProcess.StartAsync(["--registry", "in_memory", "--Logging:LogLevel:Default=Warning"]).ConfigureAwait(false);
        await using var agents = new ReportingAgents(master.Url, options.Agents, options.TasksPerAgent, options.Stream, options.MainPort);
        var subscribeClock = System.Diagnostics.Stopwatch.StartNew();
        await agents.StartAsync(parallelism: 64, TimeSpan.FromMinutes(10)).ConfigureAwait(false);
        Line($"{options.Agents:N0} agents subscribed in {subscribeClock.Elapsed.TotalSeconds:F1} s; a report is {agents.MeanReportBytes:N0} bytes");
        await Task.Delay(TimeSpan.FromSeconds(10)).ConfigureAwait(false);

        var residentBeforeReports = master.ResidentBytes();

        // Warm-up: the first reports make each stream's pair of reports (reused from then on) and get the
        // receiving path compiled; that happens once in a master's life, so it is kept out of the windows.
        using (var warmUp = new CancellationTokenSource())
        {
            var sending = agents.ReportAsync(options.Interval, options.Senders, warmUp.Token);
            await Task.Delay(options.Interval * 4).ConfigureAwait(false);
            await warmUp.CancelAsync().ConfigureAwait(false);
            await sending.ConfigureAwait(false);
            await Task.Delay(options.Interval).ConfigureAwait(false);
        }

        // Windows without and with reports alternate, so that what drifts on a shared machine (other tenants'
        // load, the master's own background work) falls on both sides of the difference alike.
        var idle = new Window();
        var busy = new Window();
        long sent = 0;
        for (var round = 1; round <= options.Rounds; round++)
        {
            var idleRound = await MeasureAsync(master, options.Measure).ConfigureAwait(false);
            idle.Add(idleRound);

            using var reporting = new CancellationTokenSource();
            var sending = agents.ReportAsync(options.Interval, options.Senders, reporting.Token);
            await Task.Delay(options.Interval * 2).ConfigureAwait(false);
            var before = await GetJsonAsync(new Uri(master.Url, "/metrics/snapshot")).ConfigureAwait(false);
            var sentBefore = agents.Accepted + agents.Dropped;
            var busyRound = await MeasureAsync(master, options.Measure).ConfigureAwait(false);
            sent += agents.Accepted + agents.Dropped - sentBefore;
            var after = await GetJsonAsync(new Uri(master.Url, "/metrics/snapshot")).ConfigureAwait(false);
            busyRound.Accepted = (long)(Counter(after, "master/usage/reports_accepted") - Counter(before, "master/usage/reports_accepted"));
            busyRound.Dropped = (long)(Counter(after, "master/usage/reports_dropped") - Counter(before, "master/usage/reports_dropped"));
            busy.Add(busyRound);
            await reporting.CancelAsync().ConfigureAwait(false);
            await sending.ConfigureAwait(false);
            Line($"round {round}: without reports {Percent(idleRound.CpuSeconds, options.Measure)}, with reports {Percent(busyRound.CpuSeconds, options.Measure)} of one core: " +
                 $"cost {Percent(busyRound.CpuSeconds - idleRound.CpuSeconds, options.Measure)}");

            // The last reports drain before the next window without them.
            await Task.Delay(options.Interval).ConfigureAwait(false);
        }

        var window = options.Measure * options.Rounds;
        var metrics = await GetJsonAsync(new Uri(master.Url, "/metrics/snapshot")).ConfigureAwait(false);
        var reports = busy.Accepted + busy.Dropped;
        var perReport = reports > 0 ? (busy.CpuSeconds - idle.CpuSeconds) / reports * 1e6 : 0;
        Line($"without reports: master CPU {Percent(idle.CpuSeconds, window)} of one core, resident {idle.Resident >> 20} MiB");
        Line($"with reports:    master CPU {Percent(busy.CpuSeconds, window)} of one core, resident {busy.Resident >> 20} MiB; " +
             $"{sent / window.TotalSeconds:N0} reports/s sent; at the master {busy.Accepted:N0} accepted, {busy.Dropped:N0} dropped; {agents.Failed:N0} failed, {agents.EndedStreams} streams ended");
        Line($"cost of reports: {Percent(busy.CpuSeconds - idle.CpuSeconds, window)} of one core (target < 5%), {perReport:F1} µs of master CPU per report; " +
             $"resident {residentBeforeReports >> 20} MiB before the first report, {busy.Resident >> 20} MiB at the end (+{(busy.Resident - residentBeforeReports) >> 20} MiB: each agent's kept reports)");
        Line("by thread (with reports − without, % of one core): " + string.Join(", ", busy.Threads.Keys.Union(idle.Threads.Keys)
            .Select(kind => (Kind: kind, Cost: busy.Threads.GetValueOrDefault(kind) - idle.Threads.GetValueOrDefault(kind)))
            .Where(t => Math.Abs(t.Cost) / window.TotalSeconds >= 0.0005)
            .OrderByDescending(t => t.Cost)
            .Select(t => $"{t.Kind} {Percent(t.Cost, window)}")));
        Line($"master's view:   {metrics["master/usage/agents_reporting"]} agents reporting, cpus used {metrics["master/usage/cpus_used"]} of {metrics["master/usage/cpus_allocated"]} allocated, " +
             $"reports accepted {metrics["master/usage/reports_accepted"]}, dropped {metrics["master/usage/reports_dropped"]}");
        Line($"load average at end: {LoadAverage()}");

        if (options.MarkdownPath is { } path)
        {
            await File.WriteAllTextAsync(path, report.ToString()).ConfigureAwait(false);
        }

        return agents.Failed == 0 ? 0 : 1;
    }

    /// <summary>The master's CPU seconds over the window, per kind of thread too, and its resident memory at the end.</summary>
    private static async Task<Window> MeasureAsync(MasterProcess master, TimeSpan window)
    {
        var threads = master.CpuSecondsByThread();
        var before = master.CpuSeconds();
        await Task.Delay(window).ConfigureAwait(false);
        var measured = new Window { CpuSeconds = master.CpuSeconds() - before, Resident = master.ResidentBytes() };
        foreach (var (kind, seconds) in Difference(master.CpuSecondsByThread(), threads))
        {
            measured.Threads[kind] = seconds;
        }

        return measured;
    }

    /// <summary>What one or more measurement windows of one kind saw, added up (resident: the last).</summary>
    private sealed class Window
    {
        public double CpuSeconds { get; set; }

        public long Resident { get; set; }

        public long Accepted { get; set; }

        public long Dropped { get; set; }

        public Dictionary<string, double> Threads { get; } = new(StringComparer.Ordinal);

        public void Add(Window other)
        {
            CpuSeconds += other.CpuSeconds;
            Resident = other.Resident;
            Accepted += other.Accepted;
            Dropped += other.Dropped;
            foreach (var (kind, seconds) in other.Threads)
            {
                Threads[kind] = Threads.GetValueOrDefault(kind) + seconds;
            }
        }
    }

    /// <summary>CPU seconds per kind of thread between two readings, over the threads alive at the second.</summary>
    private static Dictionary<string, double> Difference(Dictionary<int, (string Kind, double Seconds)> after, Dictionary<int, (string Kind, double Seconds)> before) =>
        after.GroupBy(t => t.Value.Kind, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(t => t.Value.Seconds - (before.TryGetValue(t.Key, out var b) ? b.Seconds : 0)), StringComparer.Ordinal);

    private static double Counter(JsonObject metrics, string name) => metrics[name]?.GetValue<double>() ?? 0;

    private static string Percent(double cpuSeconds, TimeSpan window) =>
        (cpuSeconds / window.TotalSeconds * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static async Task<JsonObject> GetJsonAsync(Uri url)
    {
        using var http = new HttpClient();
        return JsonNode.Parse(await http.GetStringAsync(url).ConfigureAwait(false))!.AsObject();
    }
}
