using System.Text.Json.Nodes;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Master;

/// <summary>The master as one grain: what every silo's HTTP endpoints call. Orleans keeps one activation of it
/// in the cluster and reactivates it on another silo when its silo dies; the HTTP layer never needs to know
/// which silo holds it.</summary>
/// <remarks>This is the first step of the master's move onto grains (issue 16): today's single-writer core
/// runs inside this grain's activation. Agents, frameworks and roles become grains of their own next, behind
/// the same calls. Event streams are grain methods returning <see cref="IAsyncEnumerable{T}"/>: the first item
/// says whether the subscription was taken, the others are the stream's RecordIO records.</remarks>
public interface IMasterGrain : IGrainWithStringKey
{
    /// <summary>Activates the master (recovering it from its registry) if it is not active yet.</summary>
    Task Ping();

    [return: Immutable]
    Task<MasterDescription> Describe();

    IAsyncEnumerable<MasterStreamItem> SubscribeFramework([Immutable] Call call, CancellationToken cancellationToken = default);

    [return: Immutable]
    Task<CallResult> HandleSchedulerCall([Immutable] Call call, string? streamId);

    /// <summary>A framework's failover deadline has passed (its <see cref="Frameworks.FrameworkGrain"/> says):
    /// true once that is settled, false to be asked again later.</summary>
    Task<bool> FailoverDeadlinePassed([Immutable] FrameworkId id);

    IAsyncEnumerable<MasterStreamItem> SubscribeAgent([Immutable] AgentCall call, CancellationToken cancellationToken = default);

    [return: Immutable]
    Task<CallResult> HandleAgentCall([Immutable] AgentCall call, string? streamId);

    /// <summary>An agent's usage report sent to the main port; refused (503) when the master's budget for
    /// reports in flight is spent.</summary>
    [return: Immutable]
    Task<CallResult> ReportUsage([Immutable] AgentCall call, string? streamId, long bytes);

    /// <summary>An agent's usage report as the JSON of its USAGE call, passed on by a silo that does not run the
    /// master; answered as <see cref="ReportUsage"/> is.</summary>
    [return: Immutable]
    Task<CallResult> ReportUsageJson([Immutable] byte[] json, string? streamId);

    /// <summary>Counts usage reports that another silo refused before they reached the master: rejected (over
    /// the size bound, not parsable) or dropped (its relay budget spent), so that the master's usage metrics
    /// cover every silo.</summary>
    Task UsageReportsRefused(int rejected, int dropped);

    IAsyncEnumerable<MasterStreamItem> SubscribeOperator(CancellationToken cancellationToken = default);

    /// <summary>The legacy state.json.</summary>
    [return: Immutable]
    Task<JsonObject> GetState();

    /// <summary>The legacy state.json, rendered: what /master/state answers, shared by the readers waiting for it
    /// at the same time and carried between silos as bytes.</summary>
    [return: Immutable]
    Task<byte[]> GetStateJson();

    [return: Immutable]
    Task<GetState> GetStateView();

    /// <summary>The JSON body of a GET_STATE, GET_AGENTS, GET_FRAMEWORKS, GET_TASKS or GET_EXECUTORS answer, shared
    /// by the readers waiting for it at the same time and carried between silos as bytes.</summary>
    [return: Immutable]
    Task<byte[]> GetOperatorViewJson(OperatorCallType type);

    [return: Immutable]
    Task<GetAgents> GetAgents();

    [return: Immutable]
    Task<GetFrameworks> GetFrameworks();

    [return: Immutable]
    Task<GetExecutors> GetExecutors();

    [return: Immutable]
    Task<GetTasks> GetTasks();

    [return: Immutable]
    Task<GetRoles> GetRoles();

    [return: Immutable]
    Task<GetWeights> GetWeights();

    [return: Immutable]
    Task<GetQuota> GetQuota();

    [return: Immutable]
    Task<GetUtilization> GetUtilization();

    [return: Immutable]
    Task<GetAllocationReasons> GetAllocationReasons([Immutable] AllocationReasonsCall? filter);

    [return: Immutable]
    Task<SortedDictionary<string, double>> GetMetrics();

    [return: Immutable]
    Task<CallResult> UpdateWeights([Immutable] UpdateWeightsCall call);

    [return: Immutable]
    Task<CallResult> UpdateQuota([Immutable] UpdateQuotaCall call);

    [return: Immutable]
    Task<CallResult> Teardown(FrameworkId? id);

    [return: Immutable]
    Task<CallResult> DeactivateAgent(AgentId? id);

    [return: Immutable]
    Task<CallResult> ReactivateAgent(AgentId? id);

    [return: Immutable]
    Task<CallResult> DrainAgent([Immutable] DrainAgentCall call);

    [return: Immutable]
    Task<CallResult> MarkAgentGone(AgentId? id);

    [return: Immutable]
    Task<CallResult> OperatorReserve([Immutable] ReserveResourcesCall call, bool reserve);

    [return: Immutable]
    Task<CallResult> StartMaintenance([Immutable] MaintenanceMachinesCall call);

    [return: Immutable]
    Task<CallResult> StopMaintenance([Immutable] MaintenanceMachinesCall call);
}
