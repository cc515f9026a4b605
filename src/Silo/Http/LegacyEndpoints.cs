using System.Text.Json.Nodes;
using Mesos.Orleans.Grains.Core;

namespace Mesos.Orleans.Silo.Http;

/// <summary>The GET endpoints tools scrape: /health, /version, /state (state.json), /redirect.</summary>
public static class LegacyEndpoints
{
    public static void Map(IEndpointRouteBuilder app, MasterCore master)
    {
        foreach (var prefix in MasterRoutes.Prefixes)
        {
            app.MapGet(prefix + "/health", () => Results.Ok());
            app.MapGet(prefix + "/state", async () => Results.Json(await master.GetStateAsync()));
            app.MapGet(prefix + "/state.json", async () => Results.Json(await master.GetStateAsync()));
            app.MapGet(prefix + "/redirect", (HttpContext context) =>
            {
                // Protocol-relative with an explicit port: some clients parse it by hand and crash without one.
                context.Response.Headers.Location = $"//{master.Options.Hostname}:{master.Options.Port}";
                return Results.StatusCode(StatusCodes.Status307TemporaryRedirect);
            });
        }

        app.MapGet("/version", () => Results.Json(new JsonObject
        {
            ["version"] = master.Options.Version,
            ["build_date"] = "",
            ["build_user"] = "mesos-orleans",
            ["git_branch"] = "main",
        }));
    }
}
