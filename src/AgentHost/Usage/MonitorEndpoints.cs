using System.Text.Json.Nodes;
using Mesos.Orleans.Interfaces.Json;

namespace Mesos.Orleans.AgentHost.Usage;

/// <summary>Mesos's /monitor/statistics (and .json): one entry per task with its latest ResourceStatistics.
/// Tasks of a task group each have their own cgroup here, so each has an entry under the group's executor.</summary>
public static class MonitorEndpoints
{
    public static void Map(WebApplication app)
    {
        foreach (var path in new[] { "/monitor/statistics", "/monitor/statistics.json", "/slave(1)/monitor/statistics", "/slave(1)/monitor/statistics.json" })
        {
            app.MapGet(path, (UsageMonitor monitor) => Results.Content(Statistics(monitor).ToJsonString(), "application/json"));
        }
    }

    public static JsonArray Statistics(UsageMonitor monitor) => new([.. monitor.Latest.Select(sample => new JsonObject
    {
        ["executor_id"] = sample.Task.ExecutorId.Value,
        ["executor_name"] = sample.Task.Group is null
            ? $"Command Executor (Task: {sample.Task.Id.Value}) (Command: sh -c '{sample.Task.Info.Command?.Value}')"
            : sample.Task.ExecutorId.Value,
        ["framework_id"] = sample.Task.FrameworkId.Value,
        ["source"] = sample.Task.Id.Value,
        ["statistics"] = JsonNode.Parse(MesosJson.Serialize(sample.Statistics)),
    })]);
}
