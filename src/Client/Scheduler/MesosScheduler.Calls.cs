using Mesos.Orleans.Client.Http;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Client.Scheduler;

/// <summary>The scheduler calls, sent to the master that holds the current subscription with its stream id.</summary>
internal sealed partial class MesosScheduler
{
    /// <inheritdoc/>
    public Task AcceptAsync(IEnumerable<OfferId> offerIds, IEnumerable<OfferOperation> operations, Filters? filters = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offerIds);
        ArgumentNullException.ThrowIfNull(operations);
        var accepted = operations.ToList();
        _tasks.Launched(accepted.SelectMany(o => (o.Launch?.TaskInfos ?? []).Concat(o.LaunchGroup?.TaskGroup?.Tasks ?? [])));
        return SendAsync(
            new Call { Type = CallType.ACCEPT, Accept = new AcceptCall { OfferIds = [.. offerIds], Operations = accepted, Filters = filters } },
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task LaunchAsync(Offer offer, IEnumerable<TaskInfo> tasks, Filters? filters = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(tasks);
        return AcceptAsync(
            [offer.Id ?? throw new ArgumentException("The offer has no ID", nameof(offer))],
            [new OfferOperation { Type = OperationType.LAUNCH, Launch = new LaunchOperation { TaskInfos = [.. tasks] } }],
            filters,
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeclineAsync(IEnumerable<OfferId> offerIds, Filters? filters = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offerIds);
        return SendAsync(new Call { Type = CallType.DECLINE, Decline = new DeclineCall { OfferIds = [.. offerIds], Filters = filters } }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task KillAsync(TaskId taskId, AgentId? agentId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        return SendAsync(new Call { Type = CallType.KILL, Kill = new KillCall { TaskId = taskId, AgentId = agentId } }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task AcknowledgeAsync(TaskStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Uuid is null
            ? Task.CompletedTask
            : SendAsync(
                new Call { Type = CallType.ACKNOWLEDGE, Acknowledge = new AcknowledgeCall { AgentId = status.AgentId, TaskId = status.TaskId, Uuid = status.Uuid } },
                cancellationToken);
    }

    /// <inheritdoc/>
    public Task ReconcileAsync(IEnumerable<ReconcileTask>? tasks = null, CancellationToken cancellationToken = default) =>
        SendAsync(new Call { Type = CallType.RECONCILE, Reconcile = new ReconcileCall { Tasks = tasks is null ? [] : [.. tasks] } }, cancellationToken);

    /// <inheritdoc/>
    public Task ReviveAsync(IEnumerable<string>? roles = null, CancellationToken cancellationToken = default) =>
        SendAsync(new Call { Type = CallType.REVIVE, Revive = new ReviveCall { Roles = roles is null ? null : [.. roles] } }, cancellationToken);

    /// <inheritdoc/>
    public Task SuppressAsync(IEnumerable<string>? roles = null, CancellationToken cancellationToken = default) =>
        SendAsync(new Call { Type = CallType.SUPPRESS, Suppress = new SuppressCall { Roles = roles is null ? null : [.. roles] } }, cancellationToken);

    /// <inheritdoc/>
    public Task TearDownAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new Call { Type = CallType.TEARDOWN }, cancellationToken);

    /// <inheritdoc/>
    public async Task SendAsync(Call call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var subscription = Volatile.Read(ref _subscription)
            ?? throw new MesosConnectionException("The scheduler is not subscribed now (it is connecting or reconnecting to the leader)");
        call.FrameworkId ??= subscription.FrameworkId;
        using var deadline = new CallDeadline(_clientOptions.RequestTimeout, _time, cancellationToken);
        using var request = SchedulerRequests.Create(subscription.Master, call, subscription.StreamId);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, deadline.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new MesosConnectionException($"The master {subscription.Master} could not be reached", e);
        }
        catch (OperationCanceledException e) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw new MesosConnectionException($"The master {subscription.Master} did not answer within {_clientOptions.RequestTimeout}", e);
        }

        using (response)
        {
            if ((int)response.StatusCode is >= 300 and < 400 or 503)
            {
                throw new MesosConnectionException($"The master {subscription.Master} no longer leads ({(int)response.StatusCode})");
            }

            await MasterAnswers.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }
}
