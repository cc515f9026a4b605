using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Silo.Http;

namespace Mesos.Orleans.Silo.HighAvailability;

/// <summary>Liveness and readiness, told apart (a standby is alive but not ready to lead traffic), and the
/// membership as JSON at /master/masters.</summary>
public static class MembershipEndpoints
{
    public static void Map(IEndpointRouteBuilder app, HaContext? ha, bool leading)
    {
        foreach (var prefix in MasterRoutes.Prefixes)
        {
            app.MapGet(prefix + "/health/live", () => Results.Ok());
            app.MapGet(prefix + "/health/ready", () => leading
                ? Results.Ok()
                : Results.Text(ha?.LeaderAddress is { } leader ? $"Standby; the leader is at {leader}" : "Standby; no leader elected", statusCode: StatusCodes.Status503ServiceUnavailable));
            if (ha is not null)
            {
                app.MapGet(prefix + "/masters", async (CancellationToken ct) =>
                    Results.Text(MesosJson.Serialize(await ha.GetMastersAsync(ct)), "application/json"));
            }
        }
    }
}
