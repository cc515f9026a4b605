using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Connection;

/// <summary>Delivers each task's status updates to the master in order and at least once: only the oldest
/// unacknowledged update of a task is in flight; it is resent with backoff (10 s doubling to 10 min) until
/// the framework's acknowledgement comes back through the master, and at once after a reconnection. The
/// backoff reached by each task's update in flight is persisted with it, so an agent restarted while an update
/// went unacknowledged goes on from there instead of starting again at 10 s.</summary>
public sealed class StatusUpdateManager : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(FrameworkId Framework, TaskId Task), UpdateStream> _streams = [];
    private readonly Func<FrameworkId, TaskStatus, Task> _send;
    private readonly TimeProvider _time;
    private readonly TimeSpan _firstRetry;
    private readonly TimeSpan _maxRetry;

    /// <summary>Called, under the manager's lock, with a task's pending updates whenever they change, so they
    /// can be checkpointed and survive an agent restart.</summary>
    public Action<FrameworkId, TaskId, IReadOnlyList<TaskStatus>>? Persist { get; set; }

    /// <summary>Called, under the manager's lock, when the wait before a task's next retry changes (it doubles
    /// with each retry and starts again with each new update), so it can be checkpointed.</summary>
    public Action<FrameworkId, TaskId, TimeSpan>? PersistBackoff { get; set; }

    public StatusUpdateManager(Func<FrameworkId, TaskStatus, Task> send, TimeProvider time, TimeSpan firstRetry, TimeSpan maxRetry)
    {
        _send = send;
        _time = time;
        _firstRetry = firstRetry;
        _maxRetry = maxRetry;
    }

    /// <summary>Updates not yet acknowledged, oldest first per task.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _streams.Values.Sum(s => s.Queue.Count);
            }
        }
    }

    public void Enqueue(FrameworkId framework, TaskStatus status)
    {
        lock (_gate)
        {
            var key = (framework, status.TaskId!);
            if (!_streams.TryGetValue(key, out var stream))
            {
                _streams[key] = stream = new UpdateStream(framework) { Backoff = _firstRetry };
            }

            stream.Queue.Enqueue(status);
            Persist?.Invoke(framework, status.TaskId!, [.. stream.Queue]);
            if (stream.Queue.Count == 1)
            {
                SendHead(stream, _firstRetry);
            }
        }
    }

    /// <summary>Retires the update the acknowledgement names and sends the task's next one. Returns the
    /// acknowledged status, or null when it did not match the update in flight (a duplicate or stale ack).</summary>
    public TaskStatus? Acknowledge(FrameworkId framework, TaskId task, byte[] uuid)
    {
        lock (_gate)
        {
            if (!_streams.TryGetValue((framework, task), out var stream)
                || !stream.Queue.TryPeek(out var head)
                || head.Uuid is null
                || !head.Uuid.AsSpan().SequenceEqual(uuid))
            {
                return null;
            }

            stream.Queue.Dequeue();
            stream.Retry?.Dispose();
            Persist?.Invoke(framework, task, [.. stream.Queue]);
            if (stream.Queue.Count == 0)
            {
                _streams.Remove((framework, task));
            }
            else
            {
                SendHead(stream, _firstRetry);
            }

            return head;
        }
    }

    /// <summary>Puts back updates checkpointed before an agent restart; they go out at the next subscription,
    /// then are retried after <paramref name="backoff"/> (the wait the update had reached), doubling from there.</summary>
    public void Restore(FrameworkId framework, IEnumerable<TaskStatus> pending, TimeSpan? backoff = null)
    {
        lock (_gate)
        {
            foreach (var status in pending)
            {
                var key = (framework, status.TaskId!);
                if (!_streams.TryGetValue(key, out var stream))
                {
                    _streams[key] = stream = new UpdateStream(framework);
                }

                stream.Queue.Enqueue(status);
                stream.Backoff = backoff is { } wait && wait > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(wait.Ticks, _maxRetry.Ticks)) : _firstRetry;
            }
        }
    }

    /// <summary>The wait before the next retry of a task's update in flight, or null when it has none pending.</summary>
    public TimeSpan? BackoffOf(FrameworkId framework, TaskId task)
    {
        lock (_gate)
        {
            return _streams.TryGetValue((framework, task), out var stream) && stream.Queue.Count > 0 ? stream.Backoff : null;
        }
    }

    /// <summary>After (re)subscribing to a master: every task's oldest update goes out again now; its backoff
    /// carries on where it was.</summary>
    public void ResendAll()
    {
        lock (_gate)
        {
            foreach (var stream in _streams.Values)
            {
                SendHead(stream, stream.Backoff);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var stream in _streams.Values)
            {
                stream.Retry?.Dispose();
            }
        }
    }

    private void SendHead(UpdateStream stream, TimeSpan nextRetry)
    {
        stream.Retry?.Dispose();
        var head = stream.Queue.Peek();
        if (stream.Backoff != nextRetry)
        {
            stream.Backoff = nextRetry;
            PersistBackoff?.Invoke(stream.Framework, head.TaskId!, nextRetry);
        }

        _ = _send(stream.Framework, head);
        var following = TimeSpan.FromTicks(Math.Min(nextRetry.Ticks * 2, _maxRetry.Ticks));
        stream.Retry = _time.CreateTimer(
            _ =>
            {
                lock (_gate)
                {
                    if (stream.Queue.TryPeek(out var current) && ReferenceEquals(current, head))
                    {
                        SendHead(stream, following);
                    }
                }
            },
            null,
            nextRetry,
            Timeout.InfiniteTimeSpan);
    }

    private sealed class UpdateStream(FrameworkId framework)
    {
        public FrameworkId Framework { get; } = framework;

        public Queue<TaskStatus> Queue { get; } = new();

        public ITimer? Retry { get; set; }

        /// <summary>The wait before the update in flight is sent again.</summary>
        public TimeSpan Backoff { get; set; }
    }
}
