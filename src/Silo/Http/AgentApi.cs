using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Interfaces.Agent;

namespace Mesos.Orleans.Silo.Http;

/// <summary>POST /api/v1/agent: the agent protocol (docs/agent-protocol.md), on the same mechanism as the
/// scheduler API — calls POSTed as JSON, events back on a RecordIO stream.</summary>
public static class AgentApi
{
    public static void Map(IEndpointRouteBuilder app, MasterCore master)
    {
        foreach (var prefix in MasterRoutes.Prefixes)
        {
            app.Map(prefix + "/api/v1/agent", context => HandleAsync(context, master));
            app.Map(prefix + "/api/v1/agent/usage", context => AgentUsageApi.HandleAsync(context, master));
        }
    }

    private static async Task HandleAsync(HttpContext context, MasterCore master)
    {
        var (call, error) = await MesosRequest.ReadAsync<AgentCall>(context);
        if (error is not null)
        {
            await MesosRequest.WriteAsync(context, error);
            return;
        }

        if (call!.Type == AgentCallType.USAGE)
        {
            var bytes = context.Request.ContentLength ?? 0;
            await MesosRequest.WriteAsync(context, master.TryAdmitUsageReport(bytes)
                ? await master.ReportUsageAsync(call, context.Request.Headers["Mesos-Stream-Id"].FirstOrDefault(), bytes)
                : CallResult.Unavailable("The master is busy; the usage report was dropped"));
            return;
        }

        if (call.Type != AgentCallType.SUBSCRIBE)
        {
            var streamId = context.Request.Headers["Mesos-Stream-Id"].FirstOrDefault();
            await MesosRequest.WriteAsync(context, call.Type is null or AgentCallType.UNKNOWN
                ? CallResult.BadRequest("Expecting 'type' to be present")
                : await master.HandleAgentCallAsync(call, streamId));
            return;
        }

        var subscription = await master.SubscribeAgentAsync(call);
        if (subscription.Error is not null)
        {
            await MesosRequest.WriteAsync(context, subscription.Error);
            return;
        }

        await RecordIoResponse.WriteAsync(context, subscription.Stream!);
        master.AgentStreamEnded(subscription.AgentId!, subscription.Stream!.StreamId);
    }
}
