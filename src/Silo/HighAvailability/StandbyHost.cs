using System.Globalization;
using System.Text.Json.Nodes;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Silo.Http;

namespace Mesos.Orleans.Silo.HighAvailability;

/// <summary>The web host of a standby master. Writes and streams (scheduler, agent and executor APIs,
/// operator mutations and SUBSCRIBE) go to the leader with 307, or 503 when none is known; read-only
/// operator calls and /master/state are answered from the warm registry copy, with an Age header saying
/// how old that copy is.</summary>
public static class StandbyHost
{
    private static readonly HashSet<OperatorCallType> ServedFromCopy =
    [
        OperatorCallType.GET_HEALTH, OperatorCallType.GET_FLAGS, OperatorCallType.GET_VERSION, OperatorCallType.GET_AGENTS,
        OperatorCallType.GET_FRAMEWORKS, OperatorCallType.GET_WEIGHTS, OperatorCallType.GET_QUOTA, OperatorCallType.GET_STATE,
        OperatorCallType.GET_MASTERS,
    ];

    public static WebApplication Build(string[] args, MasterOptions options, HaContext ha)
    {
        var app = MasterHost.NewBuilder(args, options).Build();
        foreach (var prefix in MasterRoutes.Prefixes)
        {
            app.Map(prefix + "/api/v1", context => OperatorAsync(context, options, ha));
            app.MapGet(prefix + "/redirect", context => LeaderRedirect.WriteAsync(context, ha, keepPath: false));
            app.MapGet(prefix + "/redirect/{**rest}", () => Results.NotFound());
            app.MapGet(prefix + "/health", () => Results.Ok());
            app.MapGet(prefix + "/state", context => StateAsync(context, options, ha));
            app.MapGet(prefix + "/state.json", context => StateAsync(context, options, ha));
            app.MapGet(prefix + "/flags", () => Results.Json(new JsonObject { ["flags"] = JsonNode.Parse(MesosJson.Serialize(options.ToFlags())) }));
        }

        app.MapGet("/metrics/snapshot", () => Results.Json(new JsonObject { ["master/elected"] = 0 }));
        app.MapGet("/metrics", () => Results.Text("# TYPE mesos_master_elected gauge\nmesos_master_elected 0\n", "text/plain; version=0.0.4"));
        app.MapGet("/version", () => Results.Json(new JsonObject { ["version"] = options.Version }));
        MembershipEndpoints.Map(app, ha, leading: false);

        // Scheduler, agent and executor APIs and anything else: the leader's business.
        app.MapFallback(context => LeaderRedirect.WriteAsync(context, ha));
        return app;
    }

    private static async Task OperatorAsync(HttpContext context, MasterOptions options, HaContext ha)
    {
        var (call, error) = await MesosRequest.ReadAsync<OperatorCall>(context);
        if (error is not null)
        {
            await MesosRequest.WriteAsync(context, error);
            return;
        }

        var type = call!.Type ?? OperatorCallType.UNKNOWN;
        if (!ServedFromCopy.Contains(type) || (ha.Warm.Current is null && type != OperatorCallType.GET_MASTERS))
        {
            await LeaderRedirect.WriteAsync(context, ha);
            return;
        }

        var snapshot = ha.Warm.Current?.Snapshot ?? Grains.Registry.RegistrySnapshot.Empty;
        var response = new OperatorResponse { Type = type };
        switch (type)
        {
            case OperatorCallType.GET_HEALTH:
                response.GetHealth = new GetHealth { Healthy = true };
                break;
            case OperatorCallType.GET_FLAGS:
                response.GetFlags = new GetFlags { Flags = [.. options.ToFlags().Select(f => new Flag { Name = f.Key, Value = f.Value })] };
                break;
            case OperatorCallType.GET_VERSION:
                response.GetVersion = new GetVersion { VersionInfo = options.ToVersionInfo() };
                break;
            case OperatorCallType.GET_AGENTS:
                response.GetAgents = StandbyViews.Agents(snapshot);
                break;
            case OperatorCallType.GET_FRAMEWORKS:
                response.GetFrameworks = StandbyViews.Frameworks(snapshot);
                break;
            case OperatorCallType.GET_WEIGHTS:
                response.GetWeights = StandbyViews.Weights(snapshot);
                break;
            case OperatorCallType.GET_QUOTA:
                response.GetQuota = StandbyViews.Quota(snapshot);
                break;
            case OperatorCallType.GET_STATE:
                response.GetState = StandbyViews.State(snapshot);
                break;
            case OperatorCallType.GET_MASTERS:
                response.GetMasters = await ha.GetMastersAsync(context.RequestAborted);
                break;
        }

        MarkAge(context, ha);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(MesosJson.Serialize(response));
    }

    private static async Task StateAsync(HttpContext context, MasterOptions options, HaContext ha)
    {
        var masters = await ha.GetMastersAsync(context.RequestAborted);
        MarkAge(context, ha);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(StandbyViews.LegacyState(ha, options, ha.Warm.Current?.Snapshot, masters).ToJsonString());
    }

    /// <summary>HTTP's Age (whole seconds) plus our own header in milliseconds: how stale the answer may be.</summary>
    private static void MarkAge(HttpContext context, HaContext ha)
    {
        var age = ha.Warm.Age;
        if (age == TimeSpan.MaxValue)
        {
            return;
        }

        context.Response.Headers.Age = ((long)age.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Mesos-Registry-Copy-Age-Ms"] = ((long)age.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Mesos-Standby"] = "true";
    }
}
