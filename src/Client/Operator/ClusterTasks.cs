using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Client.Operator;

/// <summary><see cref="ITasks"/> over GET_TASKS.</summary>
internal sealed class ClusterTasks(OperatorApi api) : ITasks
{
    public async Task<IReadOnlyList<TaskEntry>> ListAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync(cancellationToken).ConfigureAwait(false)).Tasks ?? [];

    public async Task<IReadOnlyList<TaskEntry>> ListCompletedAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync(cancellationToken).ConfigureAwait(false)).CompletedTasks ?? [];

    public async Task<TaskEntry?> GetAsync(TaskId taskId, FrameworkId? frameworkId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        var all = await GetAsync(cancellationToken).ConfigureAwait(false);
        return (all.Tasks ?? []).Concat(all.UnreachableTasks ?? []).Concat(all.CompletedTasks ?? [])
            .FirstOrDefault(t => t.TaskId == taskId && (frameworkId is null || t.FrameworkId == frameworkId));
    }

    private async Task<GetTasks> GetAsync(CancellationToken cancellationToken) =>
        (await api.GetAsync(OperatorCallType.GET_TASKS, cancellationToken).ConfigureAwait(false)).GetTasks ?? new GetTasks();
}
