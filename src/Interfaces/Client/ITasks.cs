using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Client;

/// <summary>The tasks of the cluster (operator call <c>GET_TASKS</c>).</summary>
public interface ITasks
{
    /// <summary>The tasks that have not ended, of every framework.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<TaskEntry>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The tasks that ended and that the master still remembers.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<TaskEntry>> ListCompletedAsync(CancellationToken cancellationToken = default);

    /// <summary>One task, running, unreachable or completed; null when the master does not know it. Task
    /// IDs are unique per framework: name the framework when several may use the same ID.</summary>
    /// <param name="taskId">The task's ID.</param>
    /// <param name="frameworkId">The framework that launched it, or null for any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<TaskEntry?> GetAsync(TaskId taskId, FrameworkId? frameworkId = null, CancellationToken cancellationToken = default);
}
