using Mesos.Orleans.Grains.Master;
using System.Text.Json.Nodes;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Interfaces.Resources;
using Microsoft.AspNetCore.Mvc;

namespace Mesos.Orleans.Silo.Http;

/// <summary>The collection endpoints of the legacy API, cut from state.json as Mesos cuts them:
/// /master/frameworks, /master/slaves, /master/tasks (paged) and /master/roles.</summary>
public static class LegacyCollections
{
    public static void Map(IEndpointRouteBuilder app, MasterAccess master)
    {
        foreach (var prefix in MasterRoutes.Prefixes)
        {
            app.MapGet(prefix + "/frameworks", async ([FromQuery(Name = "framework_id")] string? frameworkId) =>
            {
                var state = await master.Current.GetState();
                return Results.Json(new JsonObject
                {
                    ["frameworks"] = Where(state["frameworks"], "id", frameworkId),
                    ["completed_frameworks"] = Where(state["completed_frameworks"], "id", frameworkId),
                    ["unregistered_frameworks"] = new JsonArray(),
                });
            });
            app.MapGet(prefix + "/slaves", async ([FromQuery(Name = "slave_id")] string? slaveId) =>
            {
                var state = await master.Current.GetState();
                return Results.Json(new JsonObject
                {
                    ["slaves"] = Where(state["slaves"], "id", slaveId),
                    ["recovered_slaves"] = state["recovered_slaves"]!.DeepClone(),
                });
            });
            app.MapGet(prefix + "/tasks", async (int? limit, int? offset, string? order, [FromQuery(Name = "framework_id")] string? frameworkId, [FromQuery(Name = "task_id")] string? taskId) =>
            {
                var state = await master.Current.GetState();
                var tasks = state["frameworks"]!.AsArray()
                    .Concat(state["completed_frameworks"]!.AsArray())
                    .SelectMany(f => f!["tasks"]!.AsArray().Concat(f["completed_tasks"]!.AsArray()))
                    .Where(t => frameworkId is null || t!["framework_id"]?.GetValue<string>() == frameworkId)
                    .Where(t => taskId is null || t!["id"]?.GetValue<string>() == taskId)
                    .OrderBy(t => t!["statuses"]!.AsArray().LastOrDefault()?["timestamp"]?.GetValue<double>() ?? 0);
                var ordered = order == "asc" ? tasks.ToList() : tasks.Reverse().ToList();
                var page = ordered.Skip(Math.Max(0, offset ?? 0)).Take(Math.Max(0, limit ?? 100));
                return Results.Json(new JsonObject { ["tasks"] = new JsonArray([.. page.Select(t => t!.DeepClone())]) });
            });
            app.MapGet(prefix + "/roles", async () =>
            {
                var roles = await master.Current.GetRoles();
                return Results.Json(new JsonObject
                {
                    ["roles"] = new JsonArray([.. roles.Roles!.Select(r => (JsonNode)new JsonObject
                    {
                        ["name"] = r.Name,
                        ["weight"] = r.Weight,
                        ["frameworks"] = new JsonArray([.. (r.Frameworks ?? []).Select(f => JsonValue.Create(f.Value))]),
                        ["resources"] = MasterCore.Summary(ResourceBag.FromWire(r.Resources)),
                        ["allocated"] = MasterCore.Summary(ResourceBag.FromWire(r.Resources)),
                        ["quota"] = new JsonObject
                        {
                            ["role"] = r.Name,
                            ["guarantee"] = Amounts(r.Quota?.Guarantees),
                            ["limit"] = Amounts(r.Quota?.Limits),
                        },
                    })]),
                });
            });
        }
    }

    private static JsonArray Where(JsonNode? items, string key, string? value) =>
        new([.. items!.AsArray().Where(i => value is null || i![key]?.GetValue<string>() == value).Select(i => i!.DeepClone())]);

    private static JsonObject Amounts(Dictionary<string, Interfaces.Operator.QuotaValue>? amounts)
    {
        var json = new JsonObject();
        foreach (var (name, amount) in amounts ?? [])
        {
            json[name] = amount.Value;
        }

        return json;
    }
}
