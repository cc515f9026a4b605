using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Grains.Registry.Postgres;

namespace Mesos.Orleans.Silo.HighAvailability;

/// <summary>A standby's copy of the registry, kept current by polling its version (one row) and reloading
/// only when it moved, so that a takeover starts from memory and standbys can answer reads.</summary>
public sealed class WarmRegistry(PostgresRegistry reader, TimeProvider time, ILogger<WarmRegistry> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private volatile Copy? _copy;

    /// <summary>A snapshot and when it was last confirmed current.</summary>
    public sealed record Copy(RegistrySnapshot Snapshot, DateTimeOffset ConfirmedAt);

    public Copy? Current => _copy;

    /// <summary>The read-only registry the copy is loaded through (its data source serves the leader too).</summary>
    public PostgresRegistry Reader => reader;

    /// <summary>Keeps the copy current while <paramref name="standingBy"/> says so: a leader's own writes would
    /// otherwise make it reload the whole registry every poll for a copy nobody reads.</summary>
    public async Task RunAsync(Func<bool> standingBy, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (standingBy())
                {
                    await RefreshAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Could not refresh the registry copy: {Error}", e.Message);
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The registry as of now: the warm copy if its version is still the registry's, else a fresh load.</summary>
    public async Task<RegistrySnapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        var version = await reader.ReadVersionAsync(cancellationToken).ConfigureAwait(false);
        if (_copy is { } copy && copy.Snapshot.Version == version)
        {
            _copy = copy with { ConfirmedAt = time.GetUtcNow() };
            return copy.Snapshot;
        }

        var snapshot = await reader.LoadAsync(cancellationToken).ConfigureAwait(false);
        _copy = new Copy(snapshot, time.GetUtcNow());
        return snapshot;
    }

    /// <summary>The age of the copy, for the Age header of answers served from it.</summary>
    public TimeSpan Age => _copy is { } copy ? time.GetUtcNow() - copy.ConfirmedAt : TimeSpan.MaxValue;
}
