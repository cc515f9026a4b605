using System.Collections.Concurrent;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Master;

/// <summary>Failover deadlines on the test's clock, with the semantics of the framework grains that keep them
/// in a silo: due deadlines are reported to <see cref="Master"/>, and kept until it settles them.</summary>
internal sealed class ClockFailoverDeadlines(TimeProvider time) : IFailoverDeadlines
{
    private readonly ConcurrentDictionary<FrameworkId, (DateTimeOffset Deadline, ITimer Timer)> _armed = new();

    public MasterCore? Master { get; set; }

    /// <summary>The deadline armed for a framework, if any: the master sends its changes from a queue of its
    /// own, so a test waits for this before it moves the clock past it.</summary>
    public DateTimeOffset? DeadlineOf(FrameworkId id) => _armed.TryGetValue(id, out var armed) ? armed.Deadline : null;

    public Task StartAsync(long term, FrameworkId id, DateTimeOffset deadline)
    {
        Set(id, deadline);
        return Task.CompletedTask;
    }

    public Task ExpectAsync(long term, FrameworkId id, DateTimeOffset grace, DateTimeOffset deadline)
    {
        Set(id, _armed.TryGetValue(id, out var kept) ? (kept.Deadline > grace ? kept.Deadline : grace) : deadline);
        return Task.CompletedTask;
    }

    public Task CancelAsync(long term, FrameworkId id)
    {
        if (_armed.TryRemove(id, out var armed))
        {
            armed.Timer.Dispose();
        }

        return Task.CompletedTask;
    }

    private void Set(FrameworkId id, DateTimeOffset deadline)
    {
        var due = deadline - time.GetUtcNow();
        var timer = time.CreateTimer(_ => _ = FireAsync(id, deadline), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        if (_armed.TryGetValue(id, out var old))
        {
            old.Timer.Dispose();
        }

        _armed[id] = (deadline, timer);
    }

    private async Task FireAsync(FrameworkId id, DateTimeOffset deadline)
    {
        if (Master is { } master && _armed.TryGetValue(id, out var armed) && armed.Deadline == deadline && await master.FailoverDeadlinePassed(id))
        {
            _armed.TryRemove(new KeyValuePair<FrameworkId, (DateTimeOffset, ITimer)>(id, armed));
        }
    }
}
