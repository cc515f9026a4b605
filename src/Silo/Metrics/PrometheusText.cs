using System.Globalization;
using System.Text;

namespace Mesos.Orleans.Silo.Metrics;

/// <summary>Prometheus text exposition under the metric names of mesos_exporter (the exporter existing
/// Grafana dashboards were built on), derived from the /metrics/snapshot keys the same way it derives them.</summary>
public static class PrometheusText
{
    public static string Render(IReadOnlyDictionary<string, double> m)
    {
        var text = new StringBuilder();
        foreach (var resource in new[] { "cpus", "mem", "disk", "gpus" })
        {
            Family(text, $"mesos_master_{resource}", "gauge", $"Current {resource} resources in cluster.",
                [("type=\"free\"", m.Get($"master/{resource}_total") - m.Get($"master/{resource}_used")),
                 ("type=\"used\"", m.Get($"master/{resource}_used")),
                 ("type=\"total\"", m.Get($"master/{resource}_total"))]);
        }

        Family(text, "mesos_master_elected", "gauge", "1 if master is elected leader, 0 if not", [(null, m.Get("master/elected"))]);
        Family(text, "mesos_master_uptime_seconds", "gauge", "Number of seconds the master process is running.", [(null, m.Get("master/uptime_secs"))]);
        Family(text, "mesos_master_slave_registration_events_total", "counter", "Total number of registration events on this master since it booted.",
            [("event=\"register\"", m.Get("master/slave_registrations")), ("event=\"reregister\"", m.Get("master/slave_reregistrations"))]);
        Family(text, "mesos_master_slave_removal_events_total", "counter", "Total number of removal events on this master since it booted.",
            [("event=\"scheduled\"", m.Get("master/slave_shutdowns_scheduled")), ("event=\"canceled\"", m.Get("master/slave_shutdowns_canceled")),
             ("event=\"completed\"", m.Get("master/slave_shutdowns_completed")),
             ("event=\"died\"", m.Get("master/slave_removals") - m.Get("master/slave_shutdowns_completed"))]);
        Family(text, "mesos_master_slaves_state", "gauge", "Current number of slaves known to the master per connection and registration state.",
            [("state=\"connected_active\"", m.Get("master/slaves_active")), ("state=\"connected_inactive\"", m.Get("master/slaves_inactive")),
             ("state=\"disconnected_inactive\"", m.Get("master/slaves_disconnected")), ("state=\"unreachable\"", m.Get("master/slaves_unreachable"))]);
        Family(text, "mesos_master_frameworks_state", "gauge", "Current number of frames known to the master per connection and registration state.",
            [("state=\"connected_active\"", m.Get("master/frameworks_active")), ("state=\"connected_inactive\"", 0),
             ("state=\"disconnected_inactive\"", m.Get("master/frameworks_disconnected"))]);
        Family(text, "mesos_master_offers_pending", "gauge", "Current number of offers made by the master which aren't yet accepted or declined by frameworks.",
            [(null, m.Get("master/outstanding_offers"))]);
        Family(text, "mesos_master_task_states_exit_total", "counter", "Total number of tasks processed by exit state.",
            [("state=\"errored\"", m.Get("master/tasks_error")), ("state=\"failed\"", m.Get("master/tasks_failed")),
             ("state=\"finished\"", m.Get("master/tasks_finished")), ("state=\"killed\"", m.Get("master/tasks_killed")),
             ("state=\"lost\"", m.Get("master/tasks_lost"))]);
        Family(text, "mesos_master_task_states_current", "gauge", "Current number of tasks by state.",
            [("state=\"running\"", m.Get("master/tasks_running")), ("state=\"staging\"", m.Get("master/tasks_staging")),
             ("state=\"starting\"", m.Get("master/tasks_starting")), ("state=\"killing\"", m.Get("master/tasks_killing")),
             ("state=\"unreachable\"", m.Get("master/tasks_unreachable"))]);
        Family(text, "mesos_master_messages_outcomes_total", "counter", "Total number of messages by outcome of operation and direction.",
            [("source=\"framework\",destination=\"slave\",type=\"status_update\",outcome=\"valid\"", m.Get("master/valid_status_updates")),
             ("source=\"framework\",destination=\"slave\",type=\"status_update\",outcome=\"invalid\"", m.Get("master/invalid_status_updates")),
             ("source=\"slave\",destination=\"framework\",type=\"status_update\",outcome=\"valid\"", m.Get("master/valid_status_update_acknowledgements")),
             ("source=\"slave\",destination=\"framework\",type=\"status_update\",outcome=\"invalid\"", m.Get("master/invalid_status_update_acknowledgements"))]);
        Family(text, "mesos_master_messages_type_total", "counter", "Total number of valid messages by type.",
            [.. m.Where(p => p.Key.StartsWith("master/messages_", StringComparison.Ordinal))
                .Select(p => ((string?)$"type=\"{p.Key["master/".Length..]}\"", p.Value))]);
        Family(text, "mesos_master_event_queue_length", "gauge", "Current number of elements in event queue by type",
            [("type=\"message\"", m.Get("master/event_queue_messages")), ("type=\"http_request\"", m.Get("master/event_queue_http_requests")),
             ("type=\"dispatches\"", m.Get("master/event_queue_dispatches"))]);
        Family(text, "mesos_master_allocation_runs", "counter", "Number of times the allocation algorithm has run", [(null, m.Get("allocator/mesos/allocation_runs"))]);
        Family(text, "mesos_master_allocation_run_ms_count", "gauge", "Number of allocation algorithm time measurements in the window",
            [(null, m.Get("allocator/mesos/allocation_run_ms/count"))]);
        Family(text, "mesos_master_allocation_run_ms", "gauge", "Time spent in allocation algorithm in ms.", Window(m, "allocator/mesos/allocation_run_ms"));
        Family(text, "mesos_master_allocation_run_latency_ms", "gauge", "Allocation batch latency in ms.", Window(m, "allocator/mesos/allocation_run_latency_ms"));
        UsagePrometheus.Append(text, m);
        return text.ToString();
    }

    private static readonly string[] WindowSuffixes = ["min", "max", "p50", "p90", "p95", "p99", "p999", "p9999"];

    private static (string?, double)[] Window(IReadOnlyDictionary<string, double> m, string name) =>
        [("type=\"mean\"", m.Get(name)), .. WindowSuffixes.Select(s => ((string?)$"type=\"{s}\"", m.Get($"{name}/{s}")))];

    private static double Get(this IReadOnlyDictionary<string, double> metrics, string name) => metrics.GetValueOrDefault(name);

    private static void Family(StringBuilder text, string name, string type, string help, IEnumerable<(string? Labels, double Value)> samples)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in samples)
        {
            text.Append(name);
            if (labels is not null)
            {
                text.Append('{').Append(labels).Append('}');
            }

            text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
