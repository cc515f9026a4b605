using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Interfaces.Scheduler;

namespace Mesos.Orleans.Silo.Http;

/// <summary>POST /api/v1/scheduler: the Mesos v1 scheduler API.</summary>
public static class SchedulerApi
{
    /// <summary>Response header of a scheduler SUBSCRIBE: the leader term the stream belongs to (ours).</summary>
    public const string LeaderTermHeader = "Mesos-Leader-Term";

    public static void Map(IEndpointRouteBuilder app, MasterAccess master)
    {
        foreach (var prefix in MasterRoutes.Prefixes)
        {
            app.Map(prefix + "/api/v1/scheduler", context => HandleAsync(context, master));
        }
    }

    private static async Task HandleAsync(HttpContext context, MasterAccess master)
    {
        var (call, error) = await MesosRequest.ReadAsync<Call>(context);
        if (error is not null)
        {
            await MesosRequest.WriteAsync(context, error);
            return;
        }

        if (call!.Type is null or CallType.UNKNOWN)
        {
            await MesosRequest.WriteAsync(context, new CallResult(call.Type is null ? 400 : 501,
                call.Type is null ? "Failed to convert JSON into Call protobuf: Missing required fields: type" : "Received an unknown call type"));
            return;
        }

        var streamId = context.Request.Headers["Mesos-Stream-Id"].FirstOrDefault();
        if (call.Type != CallType.SUBSCRIBE)
        {
            await MesosRequest.WriteAsync(context, await master.Current.HandleSchedulerCall(call, streamId));
            return;
        }

        if (streamId is not null)
        {
            await MesosRequest.WriteAsync(context, CallResult.BadRequest("Subscribe calls should not include the 'Mesos-Stream-Id' header"));
            return;
        }

        if (!MesosRequest.AcceptsJson(context.Request))
        {
            await MesosRequest.WriteAsync(context, new CallResult(406, "Expecting 'Accept' to allow 'application/json'"));
            return;
        }

        if ((await master.Current.Describe()).LeaderTerm is { } term)
        {
            // The fencing token for frameworks (HA): a client refuses a subscription from an older leader.
            context.Response.Headers[LeaderTermHeader] = term.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await RecordIoResponse.WriteAsync(context, master.Current.SubscribeFramework(call, context.RequestAborted));
    }
}
