using System.Diagnostics;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

// Metrics under Mesos's names (/metrics/snapshot, GET_METRICS): gauges read from state, counters kept as
// events happen, allocation run times in a rolling window.
public sealed partial class MasterCore
{
    private const int RunTimeWindow = 1000;
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly Queue<double> _runMilliseconds = new();
    private readonly Queue<double> _runLatencyMilliseconds = new();

    /// <summary>Every metric Mesos's master exports that this master has, as name → value.</summary>
    public Task<SortedDictionary<string, double>> GetMetricsAsync() => _loop.InvokeAsync(BuildMetrics);

    /// <summary>Counts an event under a Mesos metric name (master/messages_decline_offers …).</summary>
    private void Count(string name, long by = 1) => _counters[name] = _counters.GetValueOrDefault(name) + by;

    private void RecordRun(long startedTimestamp, long decidedTimestamp, long committedTimestamp)
    {
        Push(_runMilliseconds, Stopwatch.GetElapsedTime(startedTimestamp, committedTimestamp).TotalMilliseconds);
        Push(_runLatencyMilliseconds, Stopwatch.GetElapsedTime(decidedTimestamp, committedTimestamp).TotalMilliseconds);

        static void Push(Queue<double> window, double value)
        {
            window.Enqueue(value);
            if (window.Count > RunTimeWindow)
            {
                window.Dequeue();
            }
        }
    }

    private SortedDictionary<string, double> BuildMetrics()
    {
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["master/elected"] = 1,
            ["master/uptime_secs"] = (_time.GetUtcNow() - StartTime).TotalSeconds,
            ["master/slaves_active"] = _agents.Values.Count(a => a.Connected && !a.Deactivated),
            ["master/slaves_inactive"] = _agents.Values.Count(a => a.Connected && a.Deactivated),
            ["master/slaves_connected"] = _agents.Values.Count(a => a.Connected),
            ["master/slaves_disconnected"] = _agents.Values.Count(a => !a.Connected),
            ["master/slaves_unreachable"] = _agents.Values.Count(a => !a.Connected && a.Tasks.Values.Any(t => t.State == TaskState.TASK_UNREACHABLE)),
            ["master/frameworks_active"] = _frameworks.Values.Count(f => f.Connected),
            ["master/frameworks_inactive"] = _frameworks.Values.Count(f => !f.Connected),
            ["master/frameworks_connected"] = _frameworks.Values.Count(f => f.Connected),
            ["master/frameworks_disconnected"] = _frameworks.Values.Count(f => !f.Connected),
            ["master/outstanding_offers"] = _offers.Count,
            ["master/event_queue_dispatches"] = _loop.QueueLength,
            ["master/event_queue_messages"] = 0,
            ["master/event_queue_http_requests"] = 0,
            ["master/operator_event_stream_subscribers"] = _operatorStreams.Count,
            ["allocator/mesos/allocation_runs"] = AllocationRuns,
            ["allocator/mesos/event_queue_dispatches"] = _runInFlight ? 1 : 0,
        };

        var total = _agents.Values.Aggregate(ResourceBag.Empty, (sum, a) => sum.Add(a.Total.Flatten()));
        var used = _agents.Values.Aggregate(ResourceBag.Empty, (sum, a) => sum.Add(a.Used.Flatten()).Add(a.Offered.Flatten()));
        foreach (var name in new[] { "cpus", "mem", "disk", "gpus" })
        {
            var t = total.ScalarOf(name).ToDouble();
            var u = used.ScalarOf(name).ToDouble();
            metrics[$"master/{name}_total"] = t;
            metrics[$"master/{name}_used"] = u;
            metrics[$"master/{name}_percent"] = t > 0 ? u / t : 0;
            metrics[$"master/{name}_revocable_total"] = 0;
            metrics[$"master/{name}_revocable_used"] = 0;
            metrics[$"master/{name}_revocable_percent"] = 0;
            metrics[$"allocator/mesos/resources/{name}/total"] = t;
            metrics[$"allocator/mesos/resources/{name}/offered_or_allocated"] = u;
        }

        // Task gauges count live tasks by state; terminal states count completed tasks seen since start.
        foreach (var state in Enum.GetValues<TaskState>())
        {
            metrics[$"master/tasks_{state.ToString()[5..].ToLowerInvariant()}"] = 0;
        }

        foreach (var task in _frameworks.Values.SelectMany(f => f.Tasks.Values))
        {
            metrics[$"master/tasks_{task.State.ToString()[5..].ToLowerInvariant()}"]++;
        }

        foreach (var name in DefaultCounters)
        {
            metrics[name] = 0;
        }

        foreach (var (name, value) in _counters)
        {
            metrics[name] = name.StartsWith("master/tasks_", StringComparison.Ordinal) ? metrics.GetValueOrDefault(name) + value : value;
        }

        AddWindow(metrics, "allocator/mesos/allocation_run_ms", _runMilliseconds);
        AddWindow(metrics, "allocator/mesos/allocation_run_latency_ms", _runLatencyMilliseconds);
        AddUsageMetrics(metrics);
        return metrics;
    }

    /// <summary>Counters that exist from the start (dashboards and exporters expect every key).</summary>
    private static readonly string[] DefaultCounters =
    [
        "master/slave_registrations", "master/slave_reregistrations", "master/slave_removals",
        "master/slave_removals/reason_registered", "master/slave_removals/reason_unhealthy", "master/slave_removals/reason_unregistered",
        "master/slave_shutdowns_scheduled", "master/slave_shutdowns_canceled", "master/slave_shutdowns_completed",
        "master/valid_status_updates", "master/invalid_status_updates",
        "master/valid_status_update_acknowledgements", "master/invalid_status_update_acknowledgements",
        "master/valid_framework_to_executor_messages", "master/invalid_framework_to_executor_messages",
        "master/valid_executor_to_framework_messages", "master/invalid_executor_to_framework_messages",
        "master/messages_register_framework", "master/messages_reregister_framework", "master/messages_unregister_framework",
        "master/messages_launch_tasks", "master/messages_decline_offers", "master/messages_revive_offers",
        "master/messages_suppress_offers", "master/messages_kill_task", "master/messages_status_update",
        "master/messages_status_update_acknowledgement", "master/messages_reconcile_tasks",
        "master/messages_framework_to_executor", "master/dropped_messages",
    ];

    private static void AddWindow(SortedDictionary<string, double> metrics, string name, Queue<double> window)
    {
        if (window.Count == 0)
        {
            return;
        }

        var sorted = window.Order().ToArray();
        metrics[name] = sorted.Average();
        metrics[name + "/count"] = sorted.Length;
        metrics[name + "/min"] = sorted[0];
        metrics[name + "/max"] = sorted[^1];
        foreach (var (suffix, quantile) in new[] { ("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99), ("p999", 0.999), ("p9999", 0.9999) })
        {
            metrics[$"{name}/{suffix}"] = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
        }
    }
}
