using Mesos.Orleans.Grains.Master;

namespace Mesos.Orleans.Silo.Cluster;

/// <summary>Keeps the master active: it activates the master grain before this silo's HTTP port opens (the
/// web host starts after every hosted service registered before it), then pings it every second, so that
/// when the silo holding it dies, the master is activated again on a live silo without waiting for a
/// client's call.</summary>
internal sealed partial class MasterKeeper(IGrainFactory grains, ILogger<MasterKeeper> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    // A ping to a silo that has just died can wait for Orleans' 30 s response timeout; the next ping, sent
    // once the silo is declared dead, is the one that activates the master elsewhere.
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private Task? _pinging;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A master that cannot start (its registry unreadable, say) fails the silo's start with the reason.
        await Master.Ping().WaitAsync(cancellationToken).ConfigureAwait(false);
        _pinging = PingAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_pinging is not null)
        {
            await _pinging.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private IMasterGrain Master => grains.GetGrain<IMasterGrain>(MasterGrain.Key);

    private async Task PingAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await Master.Ping().WaitAsync(PingTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OrleansException or TimeoutException)
                {
                    LogPingFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The master did not answer its keep-alive ping: {Reason}")]
    private static partial void LogPingFailed(ILogger logger, string reason);
}
