using System.Text;
using System.Text.Json;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Usage;

/// <summary>
/// One agent's USAGE call as the master takes it in and keeps it: a copy of the record's bytes, and what the
/// master computes with read out of them (<see cref="UsageReportReader"/>). IDs and each task's statistics
/// stay where they lie in the bytes: an ID is compared in place, statistics are parsed only when an operator
/// asks (GET_TASKS, /master/state) — rare next to thousands of reports a second.
/// <para>Thousands arrive a second, so reports are reused rather than made anew: the report an agent's new
/// one replaces goes back to the agent's stream (<see cref="UsageStreamState"/>) to be filled with the next.
/// In steady state taking in a report allocates nothing.</para>
/// </summary>
public sealed class UsageReport
{
    /// <summary>The largest <c>statistics</c> object of one task; a report with a larger one is refused.
    /// Everything the agent samples takes well under 1 KiB.</summary>
    public const int MaxStatisticsBytes = 16 * 1024;

    /// <summary>A buffer this much larger than the report it is reused for is let go instead, so that one large
    /// report does not leave its size behind for good.</summary>
    private const int ShrinkAbove = 64 * 1024;

    private readonly HostUsage _host = new();
    private byte[] _bytes = [];
    private ReportedTask[] _tasks = [];
    private bool _hasHost;

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Length);

    public JsonText AgentId { get; internal set; }

    /// <summary>Whether the call had its <c>usage</c> message.</summary>
    public bool HasUsage { get; internal set; }

    public double? Timestamp { get; internal set; }

    public HostUsage? Host => _hasHost ? _host : null;

    public int TaskCount { get; private set; }

    public Span<ReportedTask> Tasks => _tasks.AsSpan(0, TaskCount);

    /// <summary>A call read whole (the one-POST path) becomes a report the way a record would: from its JSON.
    /// Null when it holds figures a report may not (see <see cref="UsageReportReader"/>).</summary>
    public static UsageReport? From(AgentCall call)
    {
        var report = new UsageReport();
        return UsageReportReader.TryLoad(report, new System.Buffers.ReadOnlySequence<byte>(MesosJson.SerializeToUtf8(call))) ? report : null;
    }

    /// <summary>Whether a string of the report is <paramref name="text"/>, without decoding it when it is plain ASCII.</summary>
    public bool TextEquals(JsonText value, string text) =>
        value.IsPresent && (!value.Escaped && System.Text.Ascii.IsValid(_bytes.AsSpan(value.Start, value.Length))
            ? System.Text.Ascii.Equals(_bytes.AsSpan(value.Start, value.Length), text)
            : TextOf(value) == text);

    /// <summary>A string of the report, decoded.</summary>
    public string TextOf(JsonText value)
    {
        if (!value.Escaped)
        {
            return Encoding.UTF8.GetString(_bytes, value.Start, value.Length);
        }

        // The string with its quotes is a JSON document of its own.
        var reader = new Utf8JsonReader(_bytes.AsSpan(value.Start - 1, value.Length + 2));
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>The statistics of the task at <paramref name="index"/>; null when there are none or they do
    /// not fit ResourceStatistics.</summary>
    public ResourceStatistics? StatisticsAt(int index)
    {
        ref var task = ref Tasks[index];
        if (task.StatisticsLength == 0)
        {
            return null;
        }

        try
        {
            return MesosJson.Deserialize<ResourceStatistics>(_bytes.AsSpan(task.StatisticsStart, task.StatisticsLength));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Bytes worth keeping: the statistics of the entries the master matched, and some room.</summary>
    public int UsefulBytes()
    {
        var useful = 1024;
        foreach (ref var task in Tasks)
        {
            if (task.Task is not null)
            {
                useful += task.StatisticsLength + 256;
            }
        }

        return useful;
    }

    /// <summary>Keeps only the entries the master matched, each with its statistics, in arrays of their size:
    /// what the master holds for an agent is then bounded by the agent's tasks, whatever it sent. The IDs and
    /// the rest of the record are gone afterwards.</summary>
    public void Compact()
    {
        var kept = 0;
        var bytes = 0;
        foreach (ref var task in Tasks)
        {
            if (task.Task is not null)
            {
                kept++;
                bytes += task.StatisticsLength;
            }
        }

        var newBytes = new byte[bytes];
        var newTasks = new ReportedTask[kept];
        var at = 0;
        var next = 0;
        foreach (ref var task in Tasks)
        {
            if (task.Task is null)
            {
                continue;
            }

            var copy = task with { FrameworkId = default, TaskId = default, StatisticsStart = at };
            _bytes.AsSpan(task.StatisticsStart, task.StatisticsLength).CopyTo(newBytes.AsSpan(at));
            at += task.StatisticsLength;
            newTasks[next++] = copy;
        }

        _bytes = newBytes;
        _tasks = newTasks;
        Length = bytes;
        TaskCount = kept;
        AgentId = default;
    }

    /// <summary>Empties the report and makes room for a record of <paramref name="length"/> bytes.</summary>
    internal Span<byte> Reset(int length)
    {
        if (_bytes.Length < length || (_bytes.Length > ShrinkAbove && _bytes.Length > 4 * length))
        {
            _bytes = new byte[length];
        }

        // Cleared: an entry is filled only with what its record has, nothing of the last record's may remain.
        Tasks.Clear();
        if (_tasks.Length > 64 && _tasks.Length > 4 * Math.Max(TaskCount, 1))
        {
            _tasks = [];
        }

        Length = length;
        TaskCount = 0;
        AgentId = default;
        HasUsage = false;
        Timestamp = null;
        _hasHost = false;
        _host.CpusTotal = _host.CpusUsed = null;
        _host.MemTotalBytes = _host.MemUsedBytes = null;
        return _bytes.AsSpan(0, length);
    }

    internal HostUsage SetHost()
    {
        _hasHost = true;
        return _host;
    }

    internal ref ReportedTask AddTask()
    {
        if (TaskCount == _tasks.Length)
        {
            Array.Resize(ref _tasks, Math.Max(8, _tasks.Length * 2));
        }

        return ref _tasks[TaskCount++];
    }
}
