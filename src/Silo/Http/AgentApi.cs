using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Interfaces.Agent;

namespace Mesos.Orleans.Silo.Http;

/// <summary>POST /api/v1/agent: the agent protocol (docs/agent-protocol.md), on the same mechanism as the
/// scheduler API — calls POSTed as JSON, events back on a RecordIO stream.</summary>
public static class AgentApi
{
    public static void Map(IEndpointRouteBuilder app, MasterAccess master, LocalMaster local)
    {
        var relay = new UsageRelay();
        foreach (var prefix in MasterRoutes.Prefixes)
        {
            app.Map(prefix + "/api/v1/agent", context => HandleAsync(context, master));
            app.Map(prefix + "/api/v1/agent/usage", context => AgentUsageApi.HandleAsync(context, master, local, relay));
        }
    }

    private static async Task HandleAsync(HttpContext context, MasterAccess master)
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
            await MesosRequest.WriteAsync(context, await master.Current.ReportUsage(call, context.Request.Headers["Mesos-Stream-Id"].FirstOrDefault(), bytes));
            return;
        }

        if (call.Type != AgentCallType.SUBSCRIBE)
        {
            var streamId = context.Request.Headers["Mesos-Stream-Id"].FirstOrDefault();
            await MesosRequest.WriteAsync(context, call.Type is null or AgentCallType.UNKNOWN
                ? CallResult.BadRequest("Expecting 'type' to be present")
                : await master.Current.HandleAgentCall(call, streamId));
            return;
        }

        await RecordIoResponse.WriteAsync(context, master.Current.SubscribeAgent(call, context.RequestAborted));
    }
}
