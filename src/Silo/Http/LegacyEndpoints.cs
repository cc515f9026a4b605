using System.Text.Json.Nodes;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Silo.Metrics;

namespace Mesos.Orleans.Silo.Http;

/// <summary>The GET endpoints tools scrape: /health, /version, /state (state.json), /flags, /redirect,
/// /metrics/snapshot, and Prometheus text at /metrics.</summary>
public static class LegacyEndpoints
{
    public static void Map(IEndpointRouteBuilder app, MasterCore master, MasterMetrics metrics, HighAvailability.HaContext? ha = null)
    {
        async Task<IResult> StateAsync(CancellationToken cancellationToken)
        {
            var state = await master.GetStateAsync(MasterHost.FlagsOf(master.Options));
            if (ha is not null)
            {
                // The membership, as standbys show it too: every master sharing the registry, leader first.
                var masters = await ha.GetMastersAsync(cancellationToken);
                state["masters"] = System.Text.Json.Nodes.JsonNode.Parse(Interfaces.Json.MesosJson.Serialize(masters.Masters ?? []));
                state["leader_term"] = master.Options.LeaderTerm;
            }

            return Results.Json(state);
        }

        foreach (var prefix in MasterRoutes.Prefixes)
        {
            app.MapGet(prefix + "/health", () => Results.Ok());
            app.MapGet(prefix + "/state", StateAsync);
            app.MapGet(prefix + "/state.json", StateAsync);
            app.MapGet(prefix + "/flags", () => Results.Json(new JsonObject { ["flags"] = FlagsJson(master) }));
            app.MapGet(prefix + "/redirect", (HttpContext context) =>
            {
                // Protocol-relative with an explicit port: some clients parse it by hand and crash without one.
                context.Response.Headers.Location = $"//{master.Options.Hostname}:{master.Options.Port}";
                return Results.StatusCode(StatusCodes.Status307TemporaryRedirect);
            });
            app.MapGet(prefix + "/redirect/{**rest}", () => Results.NotFound());
        }

        app.MapGet("/version", () => Results.Json(new JsonObject
        {
            ["version"] = master.Options.Version,
            ["build_date"] = string.Empty,
            ["build_time"] = 0,
            ["build_user"] = "mesos-orleans",
            ["git_branch"] = "main",
        }));
        app.MapGet("/metrics/snapshot", async (string? timeout) => timeout is not null && !MesosDuration.TryParse(timeout, out _)
            ? Results.Text($"Invalid timeout '{timeout}'", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest)
            : Results.Json(await metrics.SnapshotAsync()));
        app.MapGet("/metrics", async () => Results.Text(PrometheusText.Render(await metrics.SnapshotAsync()), "text/plain; version=0.0.4; charset=utf-8"));
    }

    private static JsonObject FlagsJson(MasterCore master)
    {
        var flags = new JsonObject();
        foreach (var (name, value) in MasterHost.FlagsOf(master.Options))
        {
            flags[name] = value;
        }

        return flags;
    }
}
