namespace Mesos.Orleans.Grains.Master;

/// <summary>Whether this silo has just failed to reach the master. While the master is moving (its silo died, it
/// is being activated on another), every client retries at once, and each call to the old activation fails with
/// an exception thrown through the whole request; thousands a second took the silo's two cores and starved the
/// very activation they waited for. For a short while after a failure, calls are refused at the door instead,
/// unless the master is active in this process, or until a call reaches it again (the keeper's ping, which
/// comes every 100 ms while the door is closed, or an operator read that does not pass the door).</summary>
public sealed class MasterReachability(LocalMaster local, TimeProvider time)
{
    /// <summary>How long after a failure calls are refused without trying: a fraction of a failover, and shorter
    /// than any client's retry schedule.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    private long _refuseUntil;

    /// <summary>True when a call should be answered "unavailable" without trying the master.</summary>
    public bool ShouldRefuse => local.Endpoint is null && time.GetTimestamp() < Volatile.Read(ref _refuseUntil);

    /// <summary>A call reached the master: the door opens.</summary>
    public void Succeeded() => Volatile.Write(ref _refuseUntil, 0);

    /// <summary>Records a failure to reach the master; true when it opens a new window (worth one log line).</summary>
    public bool Failed()
    {
        var now = time.GetTimestamp();
        var until = now + (long)(Window.TotalSeconds * time.TimestampFrequency);
        var previous = Interlocked.Exchange(ref _refuseUntil, until);
        return previous <= now;
    }
}
