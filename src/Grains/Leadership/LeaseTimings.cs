namespace Mesos.Orleans.Grains.Leadership;

/// <summary>How the leader lease is timed. The lease lives <see cref="Ttl"/> by the database clock from each
/// renewal; the leader renews every <see cref="RenewInterval"/> and trusts its lease only until
/// <see cref="Ttl"/> − <see cref="Margin"/> after it <em>sent</em> the last successful renewal, by its own
/// monotonic clock, so it stops leading before any standby can see the lease expire (the margin absorbs
/// clock-rate drift and scheduling delays). Standbys try to acquire every <see cref="RetryInterval"/>.</summary>
public sealed record LeaseTimings
{
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan RenewInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan Margin { get; init; } = TimeSpan.FromMilliseconds(750);

    /// <summary>Why a combination cannot be safe or live; null when it can.</summary>
    public string? Validate() =>
        Ttl <= TimeSpan.Zero || RenewInterval <= TimeSpan.Zero || RetryInterval <= TimeSpan.Zero || Margin < TimeSpan.Zero
            ? "lease durations must be positive"
            : Margin >= Ttl
                ? "the lease margin must be shorter than the lease"
                : RenewInterval >= Ttl - Margin
                    ? "the renew interval must be shorter than the lease minus its margin, or the leader steps down between renewals"
                    : null;
}
