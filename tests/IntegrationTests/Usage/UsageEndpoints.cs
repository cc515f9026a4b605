using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Testing.Processes;

namespace Mesos.Orleans.IntegrationTests.Usage;

/// <summary>What the usage tests read: an agent's /monitor/statistics and the master's operator API.</summary>
internal static class UsageEndpoints
{
    /// <summary>The task's entry in the agent's /monitor/statistics, or null while it has none.</summary>
    public static async Task<JsonObject?> StatisticsOfAsync(MesosCluster cluster, int agent, string taskId)
    {
        var body = await cluster.Http.GetStringAsync(new Uri(cluster.AgentUrls[agent], "/monitor/statistics"));
        var entry = JsonNode.Parse(body)!.AsArray().FirstOrDefault(e => e!["source"]!.GetValue<string>() == taskId);
        return entry?["statistics"]?.AsObject();
    }

    public static double Number(JsonObject statistics, string field) =>
        statistics[field] is { } value ? value.GetValue<double>() : double.NaN;

    public static async Task<OperatorResponse> OperatorAsync(MesosCluster cluster, OperatorCallType type)
    {
        using var content = new ByteArrayContent(MesosJson.SerializeToUtf8(new OperatorCall { Type = type }));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await cluster.Http.PostAsync(new Uri(cluster.Master, "/api/v1"), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{type} answered {(int)response.StatusCode}: {body}");
        return MesosJson.Deserialize<OperatorResponse>(Encoding.UTF8.GetBytes(body))!;
    }

    public static Task<GetUtilization> UtilizationAsync(MesosCluster cluster) =>
        OperatorAsync(cluster, OperatorCallType.GET_UTILIZATION).ContinueWith(t => t.Result.GetUtilization!, TaskScheduler.Default);
}
