using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Mesos.Orleans.Grains.Usage;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Silo.Http;

/// <summary>Reads one USAGE call (a record of an agent's usage stream) straight off its bytes with a
/// <see cref="Utf8JsonReader"/>: thousands arrive a second, so only what the master computes with is
/// materialised and each task's statistics object is validated and kept as raw JSON (see
/// <see cref="UsageReport"/>). Same rules as the general reader: snake_case keys, unknown keys skipped,
/// null as unset, numbers also as strings, at most <see cref="MesosJson.MaxDepth"/> deep.</summary>
public static class UsageCallReader
{
    /// <summary>The report, or null when the record is not a well-formed USAGE call.</summary>
    public static UsageReport? TryRead(ReadOnlySequence<byte> record)
    {
        try
        {
            var reader = new Utf8JsonReader(record, new JsonReaderOptions { MaxDepth = MesosJson.MaxDepth });
            return Read(ref reader, record);
        }
        catch (Exception e) when (e is JsonException or FormatException or OverflowException or InvalidOperationException)
        {
            return null;
        }
    }

    private static UsageReport? Read(ref Utf8JsonReader reader, ReadOnlySequence<byte> record)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? type = null;
        AgentId? agentId = null;
        var hasUsage = false;
        double? timestamp = null;
        HostUsage? host = null;
        var tasks = new List<ReportedTaskUsage>();
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            }
            else if (reader.ValueTextEquals("agent_id"u8))
            {
                agentId = ReadId(ref reader) is { } id ? new AgentId(id) : null;
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                hasUsage = true;
                ExpectCurrent(ref reader, JsonTokenType.StartObject);
                while (NextProperty(ref reader))
                {
                    if (reader.ValueTextEquals("timestamp"u8))
                    {
                        timestamp = ReadDouble(ref reader);
                    }
                    else if (reader.ValueTextEquals("host"u8))
                    {
                        reader.Read();
                        host = JsonSerializer.Deserialize<HostUsage>(ref reader, MesosJson.Options);
                    }
                    else if (reader.ValueTextEquals("tasks"u8))
                    {
                        ReadTasks(ref reader, record, tasks);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return type == "USAGE" ? new UsageReport(agentId, hasUsage, timestamp, host, tasks) : null;
    }

    private static void ReadTasks(ref Utf8JsonReader reader, ReadOnlySequence<byte> record, List<ReportedTaskUsage> tasks)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        // A single object stands for a list of one, as everywhere in the Mesos JSON format.
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            tasks.Add(ReadTask(ref reader, record));
            return;
        }

        ExpectCurrent(ref reader, JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            var task = ReadTask(ref reader, record);
            if (tasks.Count < AgentUsage.MaxTasks)
            {
                tasks.Add(task);
            }
        }
    }

    private static ReportedTaskUsage ReadTask(ref Utf8JsonReader reader, ReadOnlySequence<byte> record)
    {
        ExpectCurrent(ref reader, JsonTokenType.StartObject);
        var task = new ReportedTaskUsage();
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("framework_id"u8))
            {
                task.FrameworkId = ReadId(ref reader) is { } id ? new FrameworkId(id) : null;
            }
            else if (reader.ValueTextEquals("executor_id"u8))
            {
                task.ExecutorId = ReadId(ref reader) is { } id ? new ExecutorId(id) : null;
            }
            else if (reader.ValueTextEquals("task_id"u8))
            {
                task.TaskId = ReadId(ref reader) is { } id ? new TaskId(id) : null;
            }
            else if (reader.ValueTextEquals("cpus_used"u8))
            {
                task.CpusUsed = ReadDouble(ref reader);
            }
            else if (reader.ValueTextEquals("statistics"u8))
            {
                ReadStatistics(ref reader, record, task);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return task;
    }

    /// <summary>Picks the memory figures out of the statistics object and keeps the object's bytes.</summary>
    private static void ReadStatistics(ref Utf8JsonReader reader, ReadOnlySequence<byte> record, ReportedTaskUsage task)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        ExpectCurrent(ref reader, JsonTokenType.StartObject);
        var start = reader.TokenStartIndex;
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

        task.StatisticsJson = record.Slice(start, reader.BytesConsumed - start).ToArray();
    }

    /// <summary>An ID message ({"value": "..."}); null when absent or null.</summary>
    private static string? ReadId(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectCurrent(ref reader, JsonTokenType.StartObject);
        string? value = null;
        while (NextProperty(ref reader))
        {
            var isValue = reader.ValueTextEquals("value"u8);
            reader.Read();
            if (isValue && reader.TokenType == JsonTokenType.String)
            {
                value = reader.GetString();
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
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => double.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => reader.GetDouble(),
        };
    }

    private static ulong? ReadUInt64(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
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
