using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Silo.Metrics;

namespace Mesos.Orleans.Silo.Http;

/// <summary>POST /api/v1: the Mesos v1 operator API. Reads answer 200 with a typed body; mutations answer
/// with the codes Mesos's code uses (200 for most, 202 for reservations); SUBSCRIBE streams events.</summary>
public static class OperatorApi
{
    public static void Map(IEndpointRouteBuilder app, MasterAccess master, MasterMetrics metrics)
    {
        foreach (var prefix in MasterRoutes.Prefixes)
        {
            app.Map(prefix + "/api/v1", context => HandleAsync(context, master, metrics));
        }
    }

    private static async Task HandleAsync(HttpContext context, MasterAccess master, MasterMetrics metrics)
    {
        var (call, error) = await MesosRequest.ReadAsync<OperatorCall>(context);
        if (error is not null)
        {
            await MesosRequest.WriteAsync(context, error);
            return;
        }

        if (!MesosRequest.AcceptsJson(context.Request))
        {
            await MesosRequest.WriteAsync(context, new CallResult(406, "Expecting 'Accept' to allow 'application/json'"));
            return;
        }

        if (call!.Type == OperatorCallType.SUBSCRIBE)
        {
            await RecordIoResponse.WriteAsync(context, master.Current.SubscribeOperator(context.RequestAborted), streamIdHeader: false);
            return;
        }

        var type = call.Type ?? OperatorCallType.UNKNOWN;
        var response = new OperatorResponse { Type = type };
        CallResult result;
        switch (type)
        {
            case OperatorCallType.GET_HEALTH:
                response.GetHealth = new GetHealth { Healthy = true };
                break;
            case OperatorCallType.GET_FLAGS:
                response.GetFlags = new GetFlags { Flags = [.. (await master.Current.Describe()).Flags.Select(f => new Flag { Name = f.Key, Value = f.Value })] };
                break;
            case OperatorCallType.GET_VERSION:
                response.GetVersion = new GetVersion { VersionInfo = (await master.Current.Describe()).Version };
                break;
            case OperatorCallType.GET_METRICS:
                response.GetMetrics = new GetMetrics { Metrics = [.. (await metrics.SnapshotAsync()).Select(m => new Metric { Name = m.Key, Value = m.Value })] };
                break;
            case OperatorCallType.GET_STATE or OperatorCallType.GET_AGENTS or OperatorCallType.GET_FRAMEWORKS
                or OperatorCallType.GET_EXECUTORS or OperatorCallType.GET_TASKS:
                // The large views: rendered once at the master for every reader waiting at the same time.
                await WriteJsonAsync(context, await master.GetOperatorViewJson(type));
                return;
            case OperatorCallType.GET_ROLES:
                response.GetRoles = await master.Current.GetRoles();
                break;
            case OperatorCallType.GET_WEIGHTS:
                response.GetWeights = await master.Current.GetWeights();
                break;
            case OperatorCallType.GET_MASTER:
                response.GetMaster = (await master.Current.Describe()).View;
                break;
            case OperatorCallType.GET_MASTERS:
                response.GetMasters = Single(await master.Current.Describe());
                break;
            case OperatorCallType.GET_QUOTA:
                response.GetQuota = await master.Current.GetQuota();
                break;
            case OperatorCallType.GET_ALLOCATION_REASONS:
                response.GetAllocationReasons = await master.Current.GetAllocationReasons(call.GetAllocationReasons);
                break;
            case OperatorCallType.GET_UTILIZATION:
                response.GetUtilization = await master.Current.GetUtilization();
                break;
            case OperatorCallType.UPDATE_WEIGHTS:
                result = call.UpdateWeights is null ? Missing("update_weights") : await master.Current.UpdateWeights(call.UpdateWeights);
                await MesosRequest.WriteAsync(context, result);
                return;
            case OperatorCallType.UPDATE_QUOTA:
                result = call.UpdateQuota is null ? Missing("update_quota") : await master.Current.UpdateQuota(call.UpdateQuota);
                await MesosRequest.WriteAsync(context, result);
                return;
            case OperatorCallType.TEARDOWN:
                result = call.Teardown is null ? Missing("teardown") : await master.Current.Teardown(call.Teardown.FrameworkId);
                await MesosRequest.WriteAsync(context, result);
                return;
            case OperatorCallType.DEACTIVATE_AGENT:
                result = call.DeactivateAgent is null ? Missing("deactivate_agent") : await master.Current.DeactivateAgent(call.DeactivateAgent.AgentId);
                await MesosRequest.WriteAsync(context, result);
                return;
            case OperatorCallType.REACTIVATE_AGENT:
                result = call.ReactivateAgent is null ? Missing("reactivate_agent") : await master.Current.ReactivateAgent(call.ReactivateAgent.AgentId);
                await MesosRequest.WriteAsync(context, result);
                return;
            case OperatorCallType.DRAIN_AGENT:
                result = call.DrainAgent is null ? Missing("drain_agent") : await master.Current.DrainAgent(call.DrainAgent);
                await MesosRequest.WriteAsync(context, result);
                return;
            case OperatorCallType.MARK_AGENT_GONE:
                result = call.MarkAgentGone is null ? Missing("mark_agent_gone") : await master.Current.MarkAgentGone(call.MarkAgentGone.AgentId);
                await MesosRequest.WriteAsync(context, result);
                return;
            case OperatorCallType.RESERVE_RESOURCES:
                result = call.ReserveResources is null ? Missing("reserve_resources") : await master.Current.OperatorReserve(call.ReserveResources, reserve: true);
                await MesosRequest.WriteAsync(context, result);
                return;
            case OperatorCallType.UNRESERVE_RESOURCES:
                result = call.UnreserveResources is null ? Missing("unreserve_resources") : await master.Current.OperatorReserve(call.UnreserveResources, reserve: false);
                await MesosRequest.WriteAsync(context, result);
                return;
            case OperatorCallType.START_MAINTENANCE:
                result = call.StartMaintenance is null ? Missing("start_maintenance") : await master.Current.StartMaintenance(call.StartMaintenance);
                await MesosRequest.WriteAsync(context, result);
                return;
            case OperatorCallType.STOP_MAINTENANCE:
                result = call.StopMaintenance is null ? Missing("stop_maintenance") : await master.Current.StopMaintenance(call.StopMaintenance);
                await MesosRequest.WriteAsync(context, result);
                return;
            case OperatorCallType.UNKNOWN:
                await MesosRequest.WriteAsync(context, call.Type is null
                    ? CallResult.BadRequest("Failed to convert JSON into Call protobuf: Missing required fields: type")
                    : new CallResult(501, "Received an unknown call type"));
                return;
            default:
                await MesosRequest.WriteAsync(context, new CallResult(501, $"Operator call {type} is not supported by this master yet"));
                return;
        }

        await WriteJsonAsync(context, MesosJson.SerializeToUtf8(response));
    }

    private static async Task WriteJsonAsync(HttpContext context, byte[] body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static GetMasters Single(MasterDescription master) => new()
    {
        Masters = [new MasterMemberInfo { Id = master.MasterId, Address = master.Info.Address, Status = "leader", Alive = true, StartTime = master.StartTime.ToUnixTimeMilliseconds() / 1000.0 }],
    };

    private static CallResult Missing(string field) => CallResult.BadRequest($"Expecting '{field}' to be present");
}
