using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace Mesos.Orleans.Benchmarks.Allocator;

/// <summary>The allocator suite: Mesos's DeclineOffers grid (with and without refusal filters), the same
/// workload run for Mesos's full 2 × frameworks rounds on chosen cells, and LargeAndSmallQuota.</summary>
internal static class AllocatorBenchmarks
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(AllocatorBenchmarkOptions options)
    {
        var report = new StringBuilder();
        report.AppendLine(Environment());
        Console.WriteLine(Environment());

        Console.WriteLine("Warming up (JIT, tiered compilation) on small clusters ...");
        WarmUp();

        var failures = 0;
        if (options.RunGrid)
        {
            var declined = new List<CellResult>();
            var plain = new List<CellResult>();
            foreach (var (agents, frameworks) in options.Grid)
            {
                declined.Add(RunCell(agents, frameworks, decline: true, options.RoundsFor(frameworks)));
                plain.Add(RunCell(agents, frameworks, decline: false, options.RoundsFor(frameworks)));
            }

            var longRuns = options.Long.Select(c => RunCell(c.Agents, c.Frameworks, decline: true, 2 * c.Frameworks)).ToList();
            failures += declined.Concat(plain).Concat(longRuns).Sum(r => r.AccountingErrors > 0 ? 1 : 0);

            Append(report, GridTable("DeclineOffers: offers declined with a 365-day refusal filter", declined));
            Append(report, GridTable("No filters: offers recovered without a filter (a plain full allocation run)", plain));
            if (longRuns.Count > 0)
            {
                Append(report, LongTable(longRuns));
            }
        }

        if (options.RunQuota)
        {
            var quota = new List<QuotaResult>();
            foreach (var (small, large) in new[] { (25, 5), (250, 50), (2_500, 500) })
            {
                var result = RunQuota(small, large, options.QuotaRepetitions);
                // Which agents the last quota roles share depends on the order of equal shares, so the
                // count may differ from Mesos's by a few; every role served and nothing in the empty cycle is what matters.
                failures += result.Full.Any(s => s.Offers < result.Roles) || result.Empty.Any(s => s.Offers != 0) ? 1 : 0;
                quota.Add(result);
            }

            Append(report, QuotaTable(quota));
        }

        report.AppendLine().AppendLine(Inv, $"Load average at end (1/5/15 min): {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine(report.ToString());
        if (options.MarkdownPath is { } path)
        {
            File.WriteAllText(path, report.ToString());
            Console.WriteLine($"Tables written to {path}");
        }

        if (failures > 0)
        {
            Console.Error.WriteLine($"{failures} case(s) did not allocate as Mesos does (offer counts or accounting errors): see above.");
            return 1;
        }

        return 0;
    }

    private static void WarmUp()
    {
        var declining = new DeclineOffersWorkload(500, 50, decline: true);
        var plain = new DeclineOffersWorkload(500, 50, decline: false);
        for (var i = 0; i < 100; i++)
        {
            declining.Round();
            plain.Round();
        }

        for (var i = 0; i < 5; i++)
        {
            new QuotaWorkload(250, 50).Run();
        }

        // Let tier-1 (and PGO-instrumented) recompilation finish in the background before measuring.
        Thread.Sleep(1000);
        RunMeter.Settle();
    }

    private static CellResult RunCell(int agents, int frameworks, bool decline, int rounds)
    {
        RunMeter.Settle();
        var variant = decline ? "decline" : "no filters";
        Console.Write(string.Create(Inv, $"{agents,6} agents x {frameworks,5} frameworks, {variant,-10}, {rounds,5} rounds: setup "));
        var workload = new DeclineOffersWorkload(agents, frameworks, decline);
        Console.WriteLine(string.Create(Inv, $"{workload.SetupMs / 1000:F1} s"));
        var samples = new List<RunSample>(rounds);
        for (var r = 0; r < rounds; r++)
        {
            var sample = workload.Round();
            samples.Add(sample);
            if (r < 3 || r == rounds - 1 || (rounds > 100 && r % (rounds / 10) == 0))
            {
                Console.WriteLine(string.Create(Inv, $"  round {r,5}: {sample.Offers,6} offers in {sample.TotalMs,8:F1} ms (snapshot {sample.SnapshotMs:F1}, decide {sample.DecideMs:F1}, commit {sample.CommitMs:F1}; {sample.AllocatedBytes / 1048576.0:F1} MB; gc {sample.Gen0}/{sample.Gen1}/{sample.Gen2} paused {sample.GcPauseMs:F1} ms; cpu {sample.CpuMs:F1} ms; decline {sample.DeclineMs:F1} ms)"));
            }
        }

        var result = new CellResult(variant, agents, frameworks, workload.SetupMs, samples, workload.AccountingErrors);
        Console.WriteLine(string.Create(Inv, $"  => first {result.First.TotalMs:F1} ms, min {result.Min(s => s.TotalMs):F1} ms, median {result.Median(s => s.TotalMs):F1} ms, max {result.Max(s => s.TotalMs):F1} ms"));
        if (result.AccountingErrors > 0)
        {
            Console.Error.WriteLine($"  !! {result.AccountingErrors} accounting errors");
        }

        return result;
    }

    private static QuotaResult RunQuota(int small, int large, int repetitions)
    {
        var full = new List<RunSample>();
        var empty = new List<RunSample>();
        var setup = new List<double>();
        QuotaWorkload? last = null;
        for (var i = 0; i < repetitions; i++)
        {
            RunMeter.Settle();
            last = new QuotaWorkload(small, large);
            setup.Add(last.SetupMs);
            var (f, e) = last.Run();
            full.Add(f);
            empty.Add(e);
            Console.WriteLine(string.Create(Inv, $"Quota {last.Agents,5} agents x {last.Roles,5} roles: {f.Offers} offers (Mesos: {last.ExpectedOffers}) in {f.TotalMs:F1} ms (snapshot {f.SnapshotMs:F1}, decide {f.DecideMs:F1}, commit {f.CommitMs:F1}; {f.AllocatedBytes / 1048576.0:F1} MB); empty cycle: {e.Offers} offers in {e.TotalMs:F1} ms ({e.AllocatedBytes / 1048576.0:F1} MB)"));
        }

        return new QuotaResult(last!.Agents, last.Roles, last.ExpectedOffers, Stats.Median(setup), full, empty);
    }

    private static string GridTable(string title, List<CellResult> cells)
    {
        var b = new StringBuilder();
        b.AppendLine(Inv, $"#### {title}");
        b.AppendLine();
        b.AppendLine("| Agents × frameworks | Rounds | Offers (first / last round) | First run (ms) | Min / **median** / max run (ms) | Process CPU per run, median (ms) | Median snapshot / decide / commit (ms) | Allocated per run, median (MB) | GCs over all runs (gen0/1/2) | GC pause per run, median / max (ms) | Hand-back per round, median (ms, untimed) | Setup (s) |");
        b.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in cells)
        {
            b.AppendLine(Inv, $"| {c.Agents / 1000}k × {Count(c.Frameworks)} | {c.Samples.Count} | {c.First.Offers:N0} / {c.Samples[^1].Offers:N0} | {c.First.TotalMs:F1} | {c.Min(s => s.TotalMs):F1} / **{c.Median(s => s.TotalMs):F1}** / {c.Max(s => s.TotalMs):F1} | {c.Median(s => s.CpuMs):F1} | {c.Median(s => s.SnapshotMs):F1} / {c.Median(s => s.DecideMs):F1} / {c.Median(s => s.CommitMs):F1} | {c.Median(s => s.AllocatedBytes / 1048576.0):F1} | {c.Samples.Sum(s => s.Gen0)}/{c.Samples.Sum(s => s.Gen1)}/{c.Samples.Sum(s => s.Gen2)} | {c.Median(s => s.GcPauseMs):F1} / {c.Max(s => s.GcPauseMs):F1} | {c.Median(s => s.DeclineMs):F1} | {c.SetupMs / 1000:F1} |");
        }

        return b.ToString();
    }

    private static string LongTable(List<CellResult> cells)
    {
        var b = new StringBuilder();
        b.AppendLine("#### DeclineOffers for Mesos's full 2 × frameworks rounds");
        b.AppendLine();
        b.AppendLine("Rounds 0 … F−1 still make offers (each agent goes to a framework that has not declined it yet); from round F on, every framework has declined every agent and a run makes no offers but must test every framework's filter on every agent.");
        b.AppendLine();
        b.AppendLine("| Agents × frameworks | Rounds | Offering rounds: median / max (ms) | Filtered-out rounds (0 offers): median / max (ms) | All rounds: median / max (ms) | Median decide in filtered-out rounds (ms) | Hand-back per round that had offers to decline, median / max (ms, untimed) |");
        b.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var c in cells)
        {
            var offering = c.Samples.Where(s => s.Offers > 0).ToList();
            var idle = c.Samples.Where(s => s.Offers == 0).ToList();
            b.AppendLine(Inv, $"| {c.Agents / 1000}k × {Count(c.Frameworks)} | {c.Samples.Count} | {Stats.Median(offering.Select(s => s.TotalMs)):F1} / {Stats.Max(offering.Select(s => s.TotalMs)):F1} ({offering.Count} rounds) | {Stats.Median(idle.Select(s => s.TotalMs)):F1} / {Stats.Max(idle.Select(s => s.TotalMs)):F1} ({idle.Count} rounds) | **{c.Median(s => s.TotalMs):F1}** / {c.Max(s => s.TotalMs):F1} | {Stats.Median(idle.Select(s => s.DecideMs)):F1} | {Stats.Median(c.Samples.Skip(1).Where(s => s.DeclineMs > 0).Select(s => s.DeclineMs)):F1} / {Stats.Max(c.Samples.Select(s => s.DeclineMs)):F1} |");
        }

        return b.ToString();
    }

    private static string QuotaTable(List<QuotaResult> results)
    {
        var b = new StringBuilder();
        b.AppendLine("#### LargeAndSmallQuota: one full cycle, then one empty cycle");
        b.AppendLine();
        b.AppendLine("| Agents / roles (= frameworks) | Repetitions | Offers (Mesos) | Full cycle: min / **median** / max (ms) | Full cycle median snapshot / decide / commit (ms) | Full cycle allocated (MB) | Empty cycle: min / **median** / max (ms) | Empty cycle allocated (MB) | Setup (ms) |");
        b.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var q in results)
        {
            var full = q.Full;
            var empty = q.Empty;
            b.AppendLine(Inv, $"| {q.Agents:N0} / {q.Roles:N0} | {full.Count} | {full[0].Offers:N0} ({q.Expected:N0}) | {Stats.Min(full.Select(s => s.TotalMs)):F1} / **{Stats.Median(full.Select(s => s.TotalMs)):F1}** / {Stats.Max(full.Select(s => s.TotalMs)):F1} | {Stats.Median(full.Select(s => s.SnapshotMs)):F1} / {Stats.Median(full.Select(s => s.DecideMs)):F1} / {Stats.Median(full.Select(s => s.CommitMs)):F1} | {Stats.Median(full.Select(s => s.AllocatedBytes / 1048576.0)):F1} | {Stats.Min(empty.Select(s => s.TotalMs)):F1} / **{Stats.Median(empty.Select(s => s.TotalMs)):F1}** / {Stats.Max(empty.Select(s => s.TotalMs)):F1} | {Stats.Median(empty.Select(s => s.AllocatedBytes / 1048576.0)):F1} | {q.SetupMs:F0} |");
        }

        return b.ToString();
    }

    private static string Count(int n) => n >= 1000 ? string.Create(Inv, $"{n / 1000}k") : n.ToString(Inv);

    private static void Append(StringBuilder report, string table) => report.AppendLine().Append(table);

    private static string Environment() =>
        string.Create(Inv, $"""
            Machine: {System.Environment.ProcessorCount} logical CPUs, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):F1} GiB available to the GC, {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}
            Load average at start (1/5/15 min): {LoadAverage()}
            Runtime: {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC ({(GCSettings.LatencyMode == GCLatencyMode.Batch ? "non-concurrent" : "concurrent")}), {(IsRelease() ? "Release" : "DEBUG build: figures are meaningless")}
            """);

    /// <summary>Other processes competing for the cores inflate wall times: the load average says how much.</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static bool IsRelease()
    {
#if DEBUG
        return false;
#else
        return true;
#endif
    }
}

internal sealed record CellResult(string Variant, int Agents, int Frameworks, double SetupMs, IReadOnlyList<RunSample> Samples, long AccountingErrors)
{
    public RunSample First => Samples[0];

    public double Median(Func<RunSample, double> value) => Stats.Median(Samples.Select(value));

    public double Max(Func<RunSample, double> value) => Stats.Max(Samples.Select(value));

    public double Min(Func<RunSample, double> value) => Stats.Min(Samples.Select(value));
}

internal sealed record QuotaResult(int Agents, int Roles, int Expected, double SetupMs, IReadOnlyList<RunSample> Full, IReadOnlyList<RunSample> Empty);
