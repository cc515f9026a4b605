using System.Text.Json.Nodes;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Mesos.Orleans.Grains.Master;

/// <summary>The master's one activation in the cluster: it claims the next term, starts the master core (recovering
/// it from the registry) when it activates, and stops it when it deactivates. Calls interleave (the core orders
/// them on its own loop), and the activation is never collected for being idle.</summary>
[Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed partial class MasterGrain(
    [PersistentState(MasterTerm.StateName, Storage.GrainStorageName.Mesos)] IPersistentState<MasterTerm> term,
    IMasterCoreSource source,
    LocalMaster local,
    TimeProvider time,
    ILogger<MasterGrain> logger) : Grain, IMasterGrain
{
    /// <summary>The master grain's key: there is one master per cluster.</summary>
    public const string Key = "mesos-master";

    private MasterEndpoint _endpoint = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The claim is an ETag-checked write: of two activations racing (a duplicate during a membership change),
        // one fails here and never starts. Once it is stored, the record grains refuse the older term's writes.
        term.State.Term = MasterTerm.Next(term.State.Term, time.GetUtcNow());
        await term.WriteStateAsync(cancellationToken).ConfigureAwait(true);
        var core = await source.StartAsync(term.State.Term, cancellationToken).ConfigureAwait(true);
        _endpoint = new MasterEndpoint(core, GrainContext.Address.SiloAddress);
        local.Attach(_endpoint);

        // A newer activation claimed a term (this silo was declared dead and woke up, say): this one
        // must stop acting at once; its callers find the newer one.
        var context = GrainContext;
        core.RegistryFailed += e =>
        {
            if (e is StaleTermException)
            {
                context.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, e.Message));
            }
        };
        LogActivated(logger, core.MasterId, term.State.Term, RuntimeIdentity);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        local.Detach(_endpoint);
        LogDeactivating(logger, _endpoint.Core.MasterId, reason.Description);
        await _endpoint.Core.DisposeAsync().ConfigureAwait(true);
    }

    public Task Ping() => _endpoint.Ping();

    public Task<MasterDescription> Describe() => _endpoint.Describe();

    public IAsyncEnumerable<MasterStreamItem> SubscribeFramework(Call call, CancellationToken cancellationToken = default) => _endpoint.SubscribeFramework(call, cancellationToken);

    public Task<CallResult> HandleSchedulerCall(Call call, string? streamId) => _endpoint.HandleSchedulerCall(call, streamId);

    public Task<bool> FailoverDeadlinePassed(FrameworkId id) => _endpoint.FailoverDeadlinePassed(id);

    public IAsyncEnumerable<MasterStreamItem> SubscribeAgent(AgentCall call, CancellationToken cancellationToken = default) => _endpoint.SubscribeAgent(call, cancellationToken);

    public Task<CallResult> HandleAgentCall(AgentCall call, string? streamId) => _endpoint.HandleAgentCall(call, streamId);

    public Task<CallResult> ReportUsage(AgentCall call, string? streamId, long bytes) => _endpoint.ReportUsage(call, streamId, bytes);

    public Task<CallResult> ReportUsageJson(byte[] json, string? streamId) => _endpoint.ReportUsageJson(json, streamId);

    public Task UsageReportsRefused(int rejected, int dropped) => _endpoint.UsageReportsRefused(rejected, dropped);

    public IAsyncEnumerable<MasterStreamItem> SubscribeOperator(CancellationToken cancellationToken = default) => _endpoint.SubscribeOperator(cancellationToken);

    public Task<JsonObject> GetState() => _endpoint.GetState();

    public Task<byte[]> GetStateJson() => _endpoint.GetStateJson();

    public Task<GetState> GetStateView() => _endpoint.GetStateView();

    public Task<byte[]> GetOperatorViewJson(OperatorCallType type) => _endpoint.GetOperatorViewJson(type);

    public Task<GetAgents> GetAgents() => _endpoint.GetAgents();

    public Task<GetFrameworks> GetFrameworks() => _endpoint.GetFrameworks();

    public Task<GetExecutors> GetExecutors() => _endpoint.GetExecutors();

    public Task<GetTasks> GetTasks() => _endpoint.GetTasks();

    public Task<GetRoles> GetRoles() => _endpoint.GetRoles();

    public Task<GetWeights> GetWeights() => _endpoint.GetWeights();

    public Task<GetQuota> GetQuota() => _endpoint.GetQuota();

    public Task<GetUtilization> GetUtilization() => _endpoint.GetUtilization();

    public Task<GetAllocationReasons> GetAllocationReasons(AllocationReasonsCall? filter) => _endpoint.GetAllocationReasons(filter);

    public Task<SortedDictionary<string, double>> GetMetrics() => _endpoint.GetMetrics();

    public Task<CallResult> UpdateWeights(UpdateWeightsCall call) => _endpoint.UpdateWeights(call);

    public Task<CallResult> UpdateQuota(UpdateQuotaCall call) => _endpoint.UpdateQuota(call);

    public Task<CallResult> Teardown(FrameworkId? id) => _endpoint.Teardown(id);

    public Task<CallResult> DeactivateAgent(AgentId? id) => _endpoint.DeactivateAgent(id);

    public Task<CallResult> ReactivateAgent(AgentId? id) => _endpoint.ReactivateAgent(id);

    public Task<CallResult> DrainAgent(DrainAgentCall call) => _endpoint.DrainAgent(call);

    public Task<CallResult> MarkAgentGone(AgentId? id) => _endpoint.MarkAgentGone(id);

    public Task<CallResult> OperatorReserve(ReserveResourcesCall call, bool reserve) => _endpoint.OperatorReserve(call, reserve);

    public Task<CallResult> StartMaintenance(MaintenanceMachinesCall call) => _endpoint.StartMaintenance(call);

    public Task<CallResult> StopMaintenance(MaintenanceMachinesCall call) => _endpoint.StopMaintenance(call);

    [LoggerMessage(Level = LogLevel.Information, Message = "Master {MasterId} is active in term {Term} on silo {Silo}")]
    private static partial void LogActivated(ILogger logger, string masterId, long term, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Master {MasterId} is deactivating: {Reason}")]
    private static partial void LogDeactivating(ILogger logger, string masterId, string reason);
}
