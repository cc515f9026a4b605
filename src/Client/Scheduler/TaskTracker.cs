using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Client.Scheduler;

/// <summary>The framework's tasks that have not ended, as the scheduler last heard of them, and which of
/// them have been heard from since the last (re)subscription: reconciliation goes on until all have.</summary>
internal sealed class TaskTracker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TaskId, AgentId?> _live = [];
    private readonly HashSet<TaskId> _heard = [];

    public void Launched(IEnumerable<TaskInfo> tasks)
    {
        lock (_lock)
        {
            foreach (var task in tasks.Where(t => t.TaskId is not null))
            {
                _live[task.TaskId!] = task.AgentId;
            }
        }
    }

    public void Observed(TaskStatus status)
    {
        if (status.TaskId is not { } id || status.State is not { } state)
        {
            return;
        }

        lock (_lock)
        {
            _heard.Add(id);
            if (TaskStates.IsTerminal(state) || state is TaskState.TASK_UNKNOWN)
            {
                _live.Remove(id);
            }
            else
            {
                _live[id] = status.AgentId;
            }
        }
    }

    /// <summary>Starts a reconciliation round: no task has been heard from yet.</summary>
    public void BeginRound()
    {
        lock (_lock)
        {
            _heard.Clear();
        }
    }

    /// <summary>The live tasks not heard from since <see cref="BeginRound"/>, for explicit reconciliation.</summary>
    public List<ReconcileTask> Unheard()
    {
        lock (_lock)
        {
            return [.. _live.Where(t => !_heard.Contains(t.Key)).Select(t => new ReconcileTask { TaskId = t.Key, AgentId = t.Value })];
        }
    }
}
