using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Streams;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Master;

/// <summary>The calls of <see cref="IMasterGrain"/> answered by the master core of this activation: the body of
/// <see cref="MasterGrain"/>, running on <paramref name="silo"/>.</summary>
public sealed class MasterEndpoint(MasterCore core, SiloAddress? silo) : IMasterGrain
{
    public MasterCore Core => core;

    public Task Ping() => Task.CompletedTask;

    public Task<MasterDescription> Describe() => Task.FromResult(new MasterDescription
    {
        MasterId = core.MasterId,
        Info = core.Info,
        StartTime = core.StartTime,
        Flags = core.Options.ToFlags(),
        Version = core.Options.ToVersionInfo(),
        View = core.MasterView(),
        LeaderTerm = core.Options.LeaderTerm,
    });

    public async IAsyncEnumerable<MasterStreamItem> SubscribeFramework(Call call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var subscription = await core.SubscribeFrameworkAsync(call).ConfigureAwait(true);
        if (subscription.Error is not null)
        {
            yield return MasterStreamItem.Refused(subscription.Error);
            yield break;
        }

        var stream = subscription.Stream!;
        try
        {
            yield return MasterStreamItem.Opened(stream.StreamId, subscription.FrameworkId?.Value, silo);
            await foreach (var record in Records(stream, cancellationToken).ConfigureAwait(true))
            {
                yield return record;
            }
        }
        finally
        {
            if (subscription.FrameworkId is { } id)
            {
                core.FrameworkStreamEnded(id, stream.StreamId);
            }
        }
    }

    public Task<CallResult> HandleSchedulerCall(Call call, string? streamId) => core.HandleSchedulerCallAsync(call, streamId);

    public Task<bool> FailoverDeadlinePassed(FrameworkId id) => core.FailoverDeadlinePassed(id);

    public async IAsyncEnumerable<MasterStreamItem> SubscribeAgent(AgentCall call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var subscription = await core.SubscribeAgentAsync(call).ConfigureAwait(true);
        if (subscription.Error is not null)
        {
            yield return MasterStreamItem.Refused(subscription.Error);
            yield break;
        }

        var stream = subscription.Stream!;
        try
        {
            yield return MasterStreamItem.Opened(stream.StreamId, subscription.AgentId?.Value, silo);
            await foreach (var record in Records(stream, cancellationToken).ConfigureAwait(true))
            {
                yield return record;
            }
        }
        finally
        {
            core.AgentStreamEnded(subscription.AgentId!, stream.StreamId);
        }
    }

    public Task<CallResult> HandleAgentCall(AgentCall call, string? streamId) => core.HandleAgentCallAsync(call, streamId);

    public Task<CallResult> ReportUsage(AgentCall call, string? streamId, long bytes) =>
        core.TryAdmitUsageReport(bytes)
            ? core.ReportUsageAsync(call, streamId, bytes)
            : Task.FromResult(CallResult.Unavailable("The master is busy; the usage report was dropped"));

    public Task<CallResult> ReportUsageJson(byte[] json, string? streamId) =>
        core.TryAdmitUsageReport(json.Length)
            ? core.ReportUsageJsonAsync(new System.Buffers.ReadOnlySequence<byte>(json), streamId, json.Length)
            : Task.FromResult(CallResult.Unavailable("The master is busy; the usage report was dropped"));

    public Task UsageReportsRefused(int rejected, int dropped)
    {
        core.CountRefusedUsageReports(rejected, dropped);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<MasterStreamItem> SubscribeOperator([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var stream = await core.SubscribeOperatorAsync().ConfigureAwait(true);
        try
        {
            yield return MasterStreamItem.Opened(stream.StreamId, subscriberId: null, silo);
            await foreach (var record in Records(stream, cancellationToken).ConfigureAwait(true))
            {
                yield return record;
            }
        }
        finally
        {
            core.OperatorStreamEnded(stream);
        }
    }

    public Task<JsonObject> GetState() => core.GetStateAsync(core.Options.ToFlags());

    public Task<byte[]> GetStateJson() => core.GetStateJsonAsync();

    public Task<GetState> GetStateView() => core.GetStateViewAsync();

    public Task<byte[]> GetOperatorViewJson(OperatorCallType type) => core.GetOperatorViewJsonAsync(type);

    public Task<GetAgents> GetAgents() => core.GetAgentsAsync();

    public Task<GetFrameworks> GetFrameworks() => core.GetFrameworksAsync();

    public Task<GetExecutors> GetExecutors() => core.GetExecutorsAsync();

    public Task<GetTasks> GetTasks() => core.GetTasksAsync();

    public Task<GetRoles> GetRoles() => core.GetRolesAsync();

    public Task<GetWeights> GetWeights() => core.GetWeightsAsync();

    public Task<GetQuota> GetQuota() => core.GetQuotaAsync();

    public Task<GetUtilization> GetUtilization() => core.GetUtilizationAsync();

    public async Task<GetAllocationReasons> GetAllocationReasons(AllocationReasonsCall? filter) =>
        AllocationReasons.From(await core.GetAllocationReportAsync().ConfigureAwait(true), filter);

    public Task<SortedDictionary<string, double>> GetMetrics() => core.GetMetricsAsync();

    public Task<CallResult> UpdateWeights(UpdateWeightsCall call) => core.UpdateWeightsAsync(call);

    public Task<CallResult> UpdateQuota(UpdateQuotaCall call) => core.UpdateQuotaAsync(call);

    public Task<CallResult> Teardown(FrameworkId? id) => core.TeardownAsync(id);

    public Task<CallResult> DeactivateAgent(AgentId? id) => core.DeactivateAgentAsync(id);

    public Task<CallResult> ReactivateAgent(AgentId? id) => core.ReactivateAgentAsync(id);

    public Task<CallResult> DrainAgent(DrainAgentCall call) => core.DrainAgentAsync(call);

    public Task<CallResult> MarkAgentGone(AgentId? id) => core.MarkAgentGoneAsync(id);

    public Task<CallResult> OperatorReserve(ReserveResourcesCall call, bool reserve) => core.OperatorReserveAsync(call, reserve);

    public Task<CallResult> StartMaintenance(MaintenanceMachinesCall call) => core.StartMaintenanceAsync(call);

    public Task<CallResult> StopMaintenance(MaintenanceMachinesCall call) => core.StopMaintenanceAsync(call);

    /// <summary>The stream's records until the master closes it or the subscriber goes away.</summary>
    private static async IAsyncEnumerable<MasterStreamItem> Records(EventStream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = stream.Records;
        while (true)
        {
            try
            {
                if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(true))
                {
                    yield break;
                }
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            while (reader.TryRead(out var record))
            {
                yield return MasterStreamItem.Of(record);
            }
        }
    }
}
