using Mesos.Orleans.Grains.Master;

namespace Mesos.Orleans.Silo.Cluster;

/// <summary>Keeps the master active: it activates the master grain before this silo's HTTP port opens (the
/// web host starts after every hosted service registered before it), then pings it every second and as soon as
/// a silo is declared dead, so that when the silo holding it dies, the master is activated again on a live
/// silo without waiting for a client's call or the next tick.</summary>
internal sealed partial class MasterKeeper(
    IGrainFactory grains, IClusterMembershipService membership, MasterReachability reachability, ILogger<MasterKeeper> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>While this silo refuses calls because the master was out of reach, it pings this often, so that
    /// the door opens as soon as the master answers again.</summary>
    private static readonly TimeSpan ClosedInterval = TimeSpan.FromMilliseconds(100);

    // A ping to a silo that has just died can wait for Orleans' 30 s response timeout; the next ping, sent
    // once the silo is declared dead, is the one that activates the master elsewhere.
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private Task? _pinging;
    private Task? _watching;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A master that cannot start (its registry unreadable, say) fails the silo's start with the reason.
        await Master.Ping().WaitAsync(cancellationToken).ConfigureAwait(false);
        _pinging = PingAsync(_stopping.Token);
        _watching = PingOnDeathsAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var task in new[] { _pinging, _watching })
        {
            if (task is not null)
            {
                await task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _stopping.Dispose();

    private IMasterGrain Master => grains.GetGrain<IMasterGrain>(MasterGrain.Key);

    private async Task PingAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ClosedInterval);
        var ticksPerPing = (int)(Interval / ClosedInterval);
        try
        {
            for (var tick = 1; await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false); tick++)
            {
                if (tick % ticksPerPing == 0 || reachability.ShouldRefuse)
                {
                    await PingOnceAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A silo declared dead may have held the master: the ping that activates it elsewhere goes now,
    /// not up to a second later.</summary>
    private async Task PingOnDeathsAsync(CancellationToken cancellationToken)
    {
        var dead = membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Dead);
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var now = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Dead);
                if (now > dead)
                {
                    await PingOnceAsync(cancellationToken).ConfigureAwait(false);
                }

                dead = now;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task PingOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Master.Ping().WaitAsync(PingTimeout, cancellationToken).ConfigureAwait(false);
            reachability.Succeeded();
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            LogPingFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The master did not answer its keep-alive ping: {Reason}")]
    private static partial void LogPingFailed(ILogger logger, string reason);
}
