using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

/// <summary>Where a disconnected framework's failover deadline is kept: outside the master, so that it outlives
/// the master's activation. When a deadline passes, the keeper calls
/// <see cref="MasterCore.FailoverDeadlinePassed"/> on whichever master is active then. Every change names the
/// master activation's term, and is refused with <see cref="Registry.StaleTermException"/> once a newer
/// activation claimed one: a stale master cannot disarm a deadline its successor set.</summary>
public interface IFailoverDeadlines
{
    /// <summary>The framework disconnected: it is removed at <paramref name="deadline"/> unless it resubscribes.</summary>
    Task StartAsync(long term, FrameworkId id, DateTimeOffset deadline);

    /// <summary>A recovered master expects the framework back: a deadline kept from before is kept (but not
    /// earlier than <paramref name="grace"/>, the time frameworks need to find the new master); without one,
    /// the framework has until <paramref name="deadline"/>.</summary>
    Task ExpectAsync(long term, FrameworkId id, DateTimeOffset grace, DateTimeOffset deadline);

    /// <summary>The framework resubscribed or was removed: no deadline any more.</summary>
    Task CancelAsync(long term, FrameworkId id);
}
