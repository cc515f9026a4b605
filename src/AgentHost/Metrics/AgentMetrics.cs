using System.Globalization;
using System.Text;
using Mesos.Orleans.AgentHost.Connection;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Metrics;

/// <summary>The agent's metrics under Mesos's names (/metrics/snapshot: slave/…) and as Prometheus text under
/// mesos_exporter's agent names (/metrics).</summary>
public static class AgentMetrics
{
    public static SortedDictionary<string, double> Snapshot(AgentDaemon agent, MasterConnection connection)
    {
        var running = agent.Tasks.Where(t => !TaskStates.IsTerminal(t.State)).ToList();
        var used = running.Aggregate(ResourceBag.Empty, (sum, t) => sum.Add(ResourceBag.FromWire(t.Info.Resources).Flatten()));
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["slave/registered"] = connection.Connected ? 1 : 0,
            ["slave/uptime_secs"] = (TimeProvider.System.GetUtcNow() - agent.StartTime).TotalSeconds,
            ["slave/executors_running"] = running.Select(t => t.ExecutorId).Distinct().Count(),
            ["slave/tasks_staging"] = running.Count(t => t.State == TaskState.TASK_STAGING),
            ["slave/tasks_starting"] = running.Count(t => t.State == TaskState.TASK_STARTING),
            ["slave/tasks_running"] = running.Count(t => t.State == TaskState.TASK_RUNNING),
            ["slave/tasks_killing"] = running.Count(t => t.State == TaskState.TASK_KILLING),
            ["slave/status_updates_pending"] = agent.Updates.PendingCount,
        };
        foreach (var state in new[] { TaskState.TASK_FINISHED, TaskState.TASK_FAILED, TaskState.TASK_KILLED, TaskState.TASK_LOST, TaskState.TASK_ERROR })
        {
            metrics[$"slave/tasks_{state.ToString()[5..].ToLowerInvariant()}"] = agent.TerminalCounts.GetValueOrDefault(state);
        }

        foreach (var name in new[] { "cpus", "mem", "disk", "gpus" })
        {
            var total = agent.Resources.ScalarOf(name).ToDouble();
            var inUse = used.ScalarOf(name).ToDouble();
            metrics[$"slave/{name}_total"] = total;
            metrics[$"slave/{name}_used"] = inUse;
            metrics[$"slave/{name}_percent"] = total > 0 ? inUse / total : 0;
        }

        return metrics;
    }

    public static string Prometheus(IReadOnlyDictionary<string, double> m)
    {
        var text = new StringBuilder();
        void Family(string name, string type, string help, IEnumerable<(string? Labels, double Value)> samples)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
            foreach (var (labels, value) in samples)
            {
                text.Append(name).Append(labels is null ? string.Empty : "{" + labels + "}")
                    .Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        foreach (var resource in new[] { "cpus", "mem", "disk", "gpus" })
        {
            Family($"mesos_slave_{resource}", "gauge", $"Current {resource} resources of the agent.",
                [("type=\"free\"", m[$"slave/{resource}_total"] - m[$"slave/{resource}_used"]), ("type=\"used\"", m[$"slave/{resource}_used"]), ("type=\"total\"", m[$"slave/{resource}_total"])]);
        }

        Family("mesos_slave_registered", "gauge", "1 if the agent is registered with a master", [(null, m["slave/registered"])]);
        Family("mesos_slave_uptime_seconds", "gauge", "Seconds the agent has been running", [(null, m["slave/uptime_secs"])]);
        Family("mesos_slave_task_states_current", "gauge", "Current number of tasks by state",
            [("state=\"running\"", m["slave/tasks_running"]), ("state=\"staging\"", m["slave/tasks_staging"]), ("state=\"starting\"", m["slave/tasks_starting"])]);
        Family("mesos_slave_task_states_exit_total", "counter", "Total number of tasks by exit state",
            [("state=\"finished\"", m["slave/tasks_finished"]), ("state=\"failed\"", m["slave/tasks_failed"]), ("state=\"killed\"", m["slave/tasks_killed"]), ("state=\"lost\"", m["slave/tasks_lost"])]);
        return text.ToString();
    }
}
