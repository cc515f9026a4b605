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
            app.Map(prefix + "/api/v1/agent/usage", context => HandleUsageAsync(context, master));
        }
    }

    /// <summary>USAGE calls are posted to /api/v1/agent/usage, where a body past this size is refused (413)
    /// before it is read: a usage report of <see cref="AgentUsage.MaxTasks"/> tasks stays well below it.</summary>
    public const long MaxUsageBodyBytes = 1024 * 1024;

    /// <summary>Usage reports are admitted before their body is read: when the master already has its fill of
    /// them in flight the report is dropped with 503 (best effort; the agent's next one replaces it).</summary>
    private static async Task HandleUsageAsync(HttpContext context, MasterCore master)
    {
        if (context.Request.ContentLength > MaxUsageBodyBytes)
        {
            master.CountRejectedUsageReport();
            await MesosRequest.WriteAsync(context, new CallResult(StatusCodes.Status413PayloadTooLarge, $"Request body is larger than {MaxUsageBodyBytes} bytes"));
            return;
        }

        // A body without a length may be as large as allowed: it is admitted as that.
        var bytes = Math.Min(context.Request.ContentLength ?? MaxUsageBodyBytes, MaxUsageBodyBytes);
        if (!master.TryAdmitUsageReport(bytes))
        {
            await MesosRequest.WriteAsync(context, CallResult.Unavailable("The master is busy; the usage report was dropped"));
            return;
        }

        var (call, error) = await MesosRequest.ReadAsync<AgentCall>(context, MaxUsageBodyBytes);
        error ??= call!.Type == AgentCallType.USAGE ? null : CallResult.BadRequest("Expecting 'type' to be USAGE");
        if (error is not null)
        {
            master.ReleaseUsageReport(bytes);
            master.CountRejectedUsageReport();
            await MesosRequest.WriteAsync(context, error);
            return;
        }

        await MesosRequest.WriteAsync(context, await master.ReportUsageAsync(call!, context.Request.Headers["Mesos-Stream-Id"].FirstOrDefault(), bytes));
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
