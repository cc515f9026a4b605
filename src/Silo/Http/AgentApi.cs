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
            app.Map(prefix + "/api/v1/agent", context => HandleAsync(context, master, MesosRequest.MaxBodyBytes));
            app.Map(prefix + "/api/v1/agent/usage", context => HandleAsync(context, master, MaxUsageBodyBytes));
        }
    }

    /// <summary>USAGE calls are posted to /api/v1/agent/usage, where a body past this size is refused (413)
    /// before it is read: a usage report of <see cref="AgentUsage.MaxTasks"/> tasks stays well below it.</summary>
    public const long MaxUsageBodyBytes = 1024 * 1024;

    private static async Task HandleAsync(HttpContext context, MasterCore master, long maxBodyBytes)
    {
        var (call, error) = await MesosRequest.ReadAsync<AgentCall>(context, maxBodyBytes);
        if (error is not null)
        {
            if (error.StatusCode == StatusCodes.Status413PayloadTooLarge && maxBodyBytes == MaxUsageBodyBytes)
            {
                master.CountRejectedUsageReport();
            }

            await MesosRequest.WriteAsync(context, error);
            return;
        }

        if (call!.Type == AgentCallType.USAGE)
        {
            await MesosRequest.WriteAsync(context, await master.ReportUsageAsync(call, context.Request.Headers["Mesos-Stream-Id"].FirstOrDefault()));
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
