using System.Collections.Concurrent;

namespace Mesos.Orleans.Silo.Cluster;

/// <summary>Tells this silo's long-lived responses when the silo at the other end is declared dead. A stream
/// pulled from the master's activation on another silo gets no message when that silo is killed; without this
/// its subscribers (agents, frameworks) would wait on a silent connection for minutes instead of reconnecting
/// as soon as the cluster has moved the master.</summary>
internal sealed partial class SiloDeathWatch(IClusterMembershipService membership, ILogger<SiloDeathWatch> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<SiloAddress, CancellationTokenSource> _watched = new();

    /// <summary>A token cancelled once <paramref name="silo"/> is declared dead (already cancelled if it is).</summary>
    public CancellationToken DeathOf(SiloAddress silo)
    {
        var death = _watched.GetOrAdd(silo, static _ => new CancellationTokenSource());

        // Checked after the entry exists, so a declaration between the two cannot be missed.
        if (membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Dead)
        {
            Declare(silo);
        }

        return death.Token;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken).ConfigureAwait(false))
            {
                foreach (var silo in _watched.Keys.Where(s => snapshot.GetSiloStatus(s) == SiloStatus.Dead))
                {
                    Declare(silo);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        foreach (var death in _watched.Values)
        {
            death.Dispose();
        }

        base.Dispose();
    }

    private void Declare(SiloAddress silo)
    {
        // The cancelled source stays in the map: a late subscriber to a dead silo gets a cancelled token at once.
        if (_watched.TryGetValue(silo, out var death) && !death.IsCancellationRequested)
        {
            LogDeclaredDead(logger, silo);
            death.Cancel();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} was declared dead: ending the master streams this silo pulled from it")]
    private static partial void LogDeclaredDead(ILogger logger, SiloAddress silo);
}
