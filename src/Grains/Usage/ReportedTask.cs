using Mesos.Orleans.Grains.Entities;

namespace Mesos.Orleans.Grains.Usage;

/// <summary>One task's entry of a usage report: where its IDs and statistics lie in the report's bytes, the
/// numbers the master sums, and — once the master has matched it — the master's own task.</summary>
public struct ReportedTask
{
    public JsonText FrameworkId;

    public JsonText TaskId;

    public double? CpusUsed;

    public ulong? MemRssBytes;

    public ulong? MemTotalBytes;

    /// <summary>Offset and length of the <c>statistics</c> object in the report's bytes; length 0 when absent.</summary>
    public int StatisticsStart;

    public int StatisticsLength;

    /// <summary>The live task of the reporting agent this entry is about; null for an entry about no task the
    /// master knows there (or a second entry about the same task).</summary>
    public TaskEntity? Task;

    /// <summary>Memory the task really uses, in MB: its resident anonymous memory (what cannot be reclaimed
    /// without swapping), or everything charged to it when RSS is not reported.</summary>
    public readonly double MemUsedMegabytes => (MemRssBytes ?? MemTotalBytes ?? 0) / (1024.0 * 1024.0);
}
