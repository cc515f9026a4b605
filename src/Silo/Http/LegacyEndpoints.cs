using Mesos.Orleans.Grains.Master;
using System.Text.Json.Nodes;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Silo.Metrics;

namespace Mesos.Orleans.Silo.Http;

/// <summary>The GET endpoints tools scrape: /health, /version, /state (state.json), /flags, /redirect,
/// /metrics/snapshot, and Prometheus text at /metrics.</summary>
public static class LegacyEndpoints
{
    public static void Map(IEndpointRouteBuilder app, MasterAccess master, MasterMetrics metrics)
    {
        async Task<IResult> StateAsync() => Results.Bytes(await master.GetStateJson(), "application/json; charset=utf-8");

        foreach (var prefix in MasterRoutes.Prefixes)
        {
            app.MapGet(prefix + "/health", () => Results.Ok());
            app.MapGet(prefix + "/state", StateAsync);
            app.MapGet(prefix + "/state.json", StateAsync);
            app.MapGet(prefix + "/flags", async () => Results.Json(new JsonObject { ["flags"] = FlagsJson(await master.Current.Describe()) }));
            app.MapGet(prefix + "/redirect", async (HttpContext context) =>
            {
                // Protocol-relative with an explicit port: some clients parse it by hand and crash without one.
                var address = (await master.Current.Describe()).Info.Address!;
                context.Response.Headers.Location = $"//{address.Hostname}:{address.Port}";
                return Results.StatusCode(StatusCodes.Status307TemporaryRedirect);
            });
            app.MapGet(prefix + "/redirect/{**rest}", () => Results.NotFound());
        }

        app.MapGet("/version", async () => Results.Json(new JsonObject
        {
            ["version"] = (await master.Current.Describe()).Version.Version,
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

    private static JsonObject FlagsJson(MasterDescription master)
    {
        var flags = new JsonObject();
        foreach (var (name, value) in master.Flags)
        {
            flags[name] = value;
        }

        return flags;
    }
}
