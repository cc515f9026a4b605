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
             $"({options.Agents / options.Interval.TotalSeconds:N0} reports/s), measured over {options.Measure.TotalSeconds:0} s; " +
             (options.Stream ? $"each agent streams its reports on one long-lived POST (RecordIO) to {(options.MainPort ? "the master's main port (Kestrel)" : "the master's usage receiver (usage_url)")}" : $"one POST per report, {options.Senders} in flight at most"));
        await using var master = await MasterProcess.StartAsync(["--registry", "in_memory", "--Logging:LogLevel:Default=Warning"]).ConfigureAwait(false);
        await using var agents = new ReportingAgents(master.Url, options.Agents, options.TasksPerAgent, options.Stream, options.MainPort);
        var subscribeClock = System.Diagnostics.Stopwatch.StartNew();
        await agents.StartAsync(parallelism: 64, TimeSpan.FromMinutes(10)).ConfigureAwait(false);
        Line($"{options.Agents:N0} agents subscribed in {subscribeClock.Elapsed.TotalSeconds:F1} s; a report is {agents.MeanReportBytes:N0} bytes");
        await Task.Delay(TimeSpan.FromSeconds(10)).ConfigureAwait(false);

        var idleStart = master.CpuSecondsByThread();
        var (idleCpu, idleResident) = await MeasureAsync(master, options.Measure).ConfigureAwait(false);
        var idleThreads = Difference(master.CpuSecondsByThread(), idleStart);
        Line($"without reports: master CPU {Percent(idleCpu, options.Measure)} of one core, resident {idleResident >> 20} MiB");

        using var reporting = new CancellationTokenSource();
        var sending = agents.ReportAsync(options.Interval, options.Senders, reporting.Token);
        await Task.Delay(options.Interval * 2).ConfigureAwait(false);
        var before = await GetJsonAsync(new Uri(master.Url, "/metrics/snapshot")).ConfigureAwait(false);
        var sentBefore = agents.Accepted + agents.Dropped;
        var busyStart = master.CpuSecondsByThread();
        var (busyCpu, busyResident) = await MeasureAsync(master, options.Measure).ConfigureAwait(false);
        var busyThreads = Difference(master.CpuSecondsByThread(), busyStart);
        var sent = agents.Accepted + agents.Dropped - sentBefore;
        var after = await GetJsonAsync(new Uri(master.Url, "/metrics/snapshot")).ConfigureAwait(false);
        var accepted = (long)(Counter(after, "master/usage/reports_accepted") - Counter(before, "master/usage/reports_accepted"));
        var dropped = (long)(Counter(after, "master/usage/reports_dropped") - Counter(before, "master/usage/reports_dropped"));
        await reporting.CancelAsync().ConfigureAwait(false);
        await sending.ConfigureAwait(false);

        var metrics = await GetJsonAsync(new Uri(master.Url, "/metrics/snapshot")).ConfigureAwait(false);
        var perReport = accepted + dropped > 0 ? (busyCpu - idleCpu) / (accepted + dropped) * 1e6 : 0;
        Line($"with reports:    master CPU {Percent(busyCpu, options.Measure)} of one core, resident {busyResident >> 20} MiB; " +
             $"{sent / options.Measure.TotalSeconds:N0} reports/s sent; at the master {accepted:N0} accepted, {dropped:N0} dropped; {agents.Failed:N0} failed, {agents.EndedStreams} streams ended");
        Line($"cost of reports: {Percent(busyCpu - idleCpu, options.Measure)} of one core (target < 5%), {perReport:F1} µs of master CPU per report, resident +{(busyResident - idleResident) >> 20} MiB");
        Line("by thread (with reports − without, % of one core): " + string.Join(", ", busyThreads.Keys.Union(idleThreads.Keys)
            .Select(kind => (Kind: kind, Cost: busyThreads.GetValueOrDefault(kind) - idleThreads.GetValueOrDefault(kind)))
            .Where(t => Math.Abs(t.Cost) / options.Measure.TotalSeconds >= 0.0005)
            .OrderByDescending(t => t.Cost)
            .Select(t => $"{t.Kind} {Percent(t.Cost, options.Measure)}")));
        Line($"master's view:   {metrics["master/usage/agents_reporting"]} agents reporting, cpus used {metrics["master/usage/cpus_used"]} of {metrics["master/usage/cpus_allocated"]} allocated, " +
             $"reports accepted {metrics["master/usage/reports_accepted"]}, dropped {metrics["master/usage/reports_dropped"]}");
        Line($"load average at end: {LoadAverage()}");

        if (options.MarkdownPath is { } path)
        {
            await File.WriteAllTextAsync(path, report.ToString()).ConfigureAwait(false);
        }

        return agents.Failed == 0 ? 0 : 1;
    }

    /// <summary>The master's CPU seconds over the window, and its resident memory at the end.</summary>
    private static async Task<(double CpuSeconds, long Resident)> MeasureAsync(MasterProcess master, TimeSpan window)
    {
        var before = master.CpuSeconds();
        await Task.Delay(window).ConfigureAwait(false);
        return (master.CpuSeconds() - before, master.ResidentBytes());
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
