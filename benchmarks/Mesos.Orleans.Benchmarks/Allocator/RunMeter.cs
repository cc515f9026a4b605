using System.Diagnostics;
using Mesos.Orleans.Grains.Allocation;

namespace Mesos.Orleans.Benchmarks.Allocator;

/// <summary>One allocation run, measured phase by phase: <see cref="HierarchicalAllocator.TakeSnapshot"/>,
/// <see cref="AllocationDecider.Decide"/> and <see cref="HierarchicalAllocator.Commit"/> — together exactly
/// <see cref="HierarchicalAllocator.Allocate"/>. <see cref="DeclineMs"/> is the time the round spent handing
/// the previous round's offers back (RecoverResources), which Mesos's benchmark does not time either.
/// <see cref="GcPauseMs"/> is the time the runtime was paused for garbage collection during the run (included in the phases);
/// <see cref="CpuMs"/> the CPU time the whole process used meanwhile (all threads: background GC and JIT too), which,
/// unlike wall time, does not grow when other processes compete for the cores.</summary>
internal readonly record struct RunSample(
    int Round,
    int Offers,
    double SnapshotMs,
    double DecideMs,
    double CommitMs,
    long AllocatedBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    double GcPauseMs,
    double CpuMs,
    double DeclineMs)
{
    public double TotalMs => SnapshotMs + DecideMs + CommitMs;
}

internal static class RunMeter
{
    /// <summary>Runs one allocation on the caller's thread and measures it; the committed offers come back.</summary>
    public static RunSample Measure(HierarchicalAllocator allocator, int round, double declineMs, out IReadOnlyList<AllocatorOffer> offers)
    {
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var pause = GC.GetTotalPauseDuration();
        var cpu = System.Environment.CpuUsage.TotalTime;

        var t0 = Stopwatch.GetTimestamp();
        var snapshot = allocator.TakeSnapshot();
        var t1 = Stopwatch.GetTimestamp();
        var plan = AllocationDecider.Decide(snapshot);
        var t2 = Stopwatch.GetTimestamp();
        offers = allocator.Commit(plan);
        var t3 = Stopwatch.GetTimestamp();

        return new RunSample(
            round,
            offers.Count,
            Ms(t0, t1),
            Ms(t1, t2),
            Ms(t2, t3),
            GC.GetAllocatedBytesForCurrentThread() - bytes,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(1) - gen1,
            GC.CollectionCount(2) - gen2,
            (GC.GetTotalPauseDuration() - pause).TotalMilliseconds,
            (System.Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds,
            declineMs);
    }

    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    /// <summary>A full, compacting collection between cases, so that one case's garbage is not charged to the next.</summary>
    public static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}

/// <summary>Order statistics over samples.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary>Nearest-rank percentile (0 for no values).</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public static double Max(IEnumerable<double> values) => values.DefaultIfEmpty(0).Max();

    public static double Min(IEnumerable<double> values) => values.DefaultIfEmpty(0).Min();
}
