using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;

namespace Mesos.Orleans.Grains.Usage;

/// <summary>Reads one USAGE call (a record of an agent's usage stream) into a <see cref="UsageReport"/> with a
/// <see cref="Utf8JsonReader"/> over the report's own copy of the bytes, allocating nothing: IDs and
/// statistics are located, not decoded. Same rules as the general reader — snake_case keys, unknown keys
/// skipped, null as unset, numbers also as strings, at most <see cref="MesosJson.MaxDepth"/> deep — and
/// stricter where a report feeds sums: every figure finite and not negative, a task's statistics at most
/// <see cref="UsageReport.MaxStatisticsBytes"/>.</summary>
public static class UsageReportReader
{
    /// <summary>Fills <paramref name="report"/> from <paramref name="record"/>; false when the record is not a
    /// well-formed USAGE call (the report then holds nothing of use).</summary>
    public static bool TryLoad(UsageReport report, ReadOnlySequence<byte> record)
    {
        var bytes = report.Reset(checked((int)record.Length));
        record.CopyTo(bytes);
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MesosJson.MaxDepth });
            return Read(ref reader, report);
        }
        catch (Exception e) when (e is JsonException or FormatException or OverflowException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Read(ref Utf8JsonReader reader, UsageReport report)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var isUsage = false;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                isUsage = reader.TokenType != JsonTokenType.Null && reader.ValueTextEquals("USAGE"u8);
            }
            else if (reader.ValueTextEquals("agent_id"u8))
            {
                report.AgentId = ReadId(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                ReadUsage(ref reader, report);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Nothing but white space may follow the call (Read throws at anything else).
        return !reader.Read() && isUsage;
    }

    private static void ReadUsage(ref Utf8JsonReader reader, UsageReport report)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        report.HasUsage = true;
        ExpectCurrent(ref reader, JsonTokenType.StartObject);
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("timestamp"u8))
            {
                report.Timestamp = ReadDouble(ref reader);
            }
            else if (reader.ValueTextEquals("host"u8))
            {
                ReadHost(ref reader, report);
            }
            else if (reader.ValueTextEquals("tasks"u8))
            {
                ReadTasks(ref reader, report);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadHost(ref Utf8JsonReader reader, UsageReport report)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        ExpectCurrent(ref reader, JsonTokenType.StartObject);
        var host = report.SetHost();
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("cpus_total"u8))
            {
                host.CpusTotal = ReadDouble(ref reader);
            }
            else if (reader.ValueTextEquals("cpus_used"u8))
            {
                host.CpusUsed = ReadDouble(ref reader);
            }
            else if (reader.ValueTextEquals("mem_total_bytes"u8))
            {
                host.MemTotalBytes = ReadUInt64(ref reader);
            }
            else if (reader.ValueTextEquals("mem_used_bytes"u8))
            {
                host.MemUsedBytes = ReadUInt64(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadTasks(ref Utf8JsonReader reader, UsageReport report)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        // A single object stands for a list of one, as everywhere in the Mesos JSON format.
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            ReadTask(ref reader, ref report.AddTask());
            return;
        }

        ExpectCurrent(ref reader, JsonTokenType.StartArray);
        var discard = default(ReportedTask);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            // Entries beyond the bound are still checked, but not kept.
            ReadTask(ref reader, ref report.TaskCount < AgentUsage.MaxTasks ? ref report.AddTask() : ref discard);
        }
    }

    private static void ReadTask(ref Utf8JsonReader reader, ref ReportedTask task)
    {
        ExpectCurrent(ref reader, JsonTokenType.StartObject);
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("framework_id"u8))
            {
                task.FrameworkId = ReadId(ref reader);
            }
            else if (reader.ValueTextEquals("task_id"u8))
            {
                task.TaskId = ReadId(ref reader);
            }
            else if (reader.ValueTextEquals("cpus_used"u8))
            {
                task.CpusUsed = ReadDouble(ref reader);
            }
            else if (reader.ValueTextEquals("statistics"u8))
            {
                ReadStatistics(ref reader, ref task);
            }
            else
            {
                // executor_id among them: the master knows each task's executor itself.
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>Picks the memory figures out of the statistics object and notes where the object lies.</summary>
    private static void ReadStatistics(ref Utf8JsonReader reader, ref ReportedTask task)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        ExpectCurrent(ref reader, JsonTokenType.StartObject);
        var start = (int)reader.TokenStartIndex;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("mem_rss_bytes"u8))
            {
                task.MemRssBytes = ReadUInt64(ref reader);
            }
            else if (reader.ValueTextEquals("mem_total_bytes"u8))
            {
                task.MemTotalBytes = ReadUInt64(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var length = (int)reader.BytesConsumed - start;
        if (length > UsageReport.MaxStatisticsBytes)
        {
            throw new JsonException($"A task's statistics take {length} bytes, more than {UsageReport.MaxStatisticsBytes}");
        }

        (task.StatisticsStart, task.StatisticsLength) = (start, length);
    }

    /// <summary>An ID message ({"value": "..."}): where its value lies; absent when it or its value is.</summary>
    private static JsonText ReadId(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        ExpectCurrent(ref reader, JsonTokenType.StartObject);
        var value = default(JsonText);
        while (NextProperty(ref reader))
        {
            var isValue = reader.ValueTextEquals("value"u8);
            reader.Read();
            if (isValue && reader.TokenType == JsonTokenType.String)
            {
                value = new JsonText((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped);
            }
            else
            {
                reader.Skip();
            }
        }

        return value;
    }

    private static double? ReadDouble(ref Utf8JsonReader reader)
    {
        reader.Read();
        double? value = reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String when !reader.ValueIsEscaped => double.Parse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture),
            JsonTokenType.String => double.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => reader.GetDouble(),
        };
        return value is { } figure && (!double.IsFinite(figure) || figure < 0)
            ? throw new FormatException($"A usage figure must be finite and not negative, not {figure.ToString(CultureInfo.InvariantCulture)}")
            : value;
    }

    private static ulong? ReadUInt64(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String when !reader.ValueIsEscaped => ulong.Parse(reader.ValueSpan, NumberStyles.Integer, CultureInfo.InvariantCulture),
            JsonTokenType.String => ulong.Parse(reader.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture),
            _ => reader.GetUInt64(),
        };
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        reader.Read();
        ExpectCurrent(ref reader, type);
    }

    private static void ExpectCurrent(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type}, found {reader.TokenType}");
        }
    }
}
