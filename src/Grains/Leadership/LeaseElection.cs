namespace Mesos.Orleans.Grains.Leadership;

/// <summary>
/// One master's view of the election, as a synchronous state machine over its local monotonic clock
/// (<c>now</c> arguments), so that the same logic runs in the master (<see cref="LeaseElector"/>) and in the
/// seeded simulation that checks it. Safety rests on two rules: a term is only ever granted by the store
/// (which increments it), and a leader trusts its lease only until <see cref="LeaseTimings.Ttl"/> −
/// <see cref="LeaseTimings.Margin"/> after it sent the renewal that succeeded — never from when the answer
/// came back, which may be arbitrarily late.
/// </summary>
public sealed class LeaseElection(string candidate, LeaseTimings timings)
{
    private TimeSpan _deadline;

    public string Candidate { get; } = candidate;

    public LeaseTimings Timings { get; } = timings;

    /// <summary>The term this master was granted, while it believes it leads (until <see cref="Check"/> says otherwise).</summary>
    public long? Term { get; private set; }

    /// <summary>The leader as last observed by a standby (null: none known or the lease had expired).</summary>
    public LeaseObservation? KnownLeader { get; private set; }

    /// <summary>Whether this master may act as leader at <paramref name="now"/>.</summary>
    public bool IsLeader(TimeSpan now) => Term is not null && now < _deadline;

    /// <summary>The local time until which the current leadership is trusted.</summary>
    public TimeSpan Deadline => _deadline;

    /// <summary>Steps down once the local deadline has passed; true when that happened now.</summary>
    public bool Check(TimeSpan now)
    {
        if (Term is not null && now >= _deadline)
        {
            Term = null;
            return true;
        }

        return false;
    }

    /// <summary>An acquisition attempt sent at <paramref name="sentAt"/> was answered; true when this master now leads.</summary>
    public bool Acquired(TimeSpan sentAt, TimeSpan now, LeaseObservation observation)
    {
        KnownLeader = observation.Holder is null || observation.Acquired ? null : observation;
        if (!observation.Acquired || Term is not null)
        {
            return false;
        }

        Term = observation.Term;
        _deadline = sentAt + Timings.Ttl - Timings.Margin;
        return !Check(now);
    }

    /// <summary>A renewal of <paramref name="term"/> sent at <paramref name="sentAt"/> was answered; true when
    /// leadership ended because the store refused it.</summary>
    public bool Renewed(long term, TimeSpan sentAt, TimeSpan now, bool renewed)
    {
        if (Term != term)
        {
            return false; // An answer for a term already given up.
        }

        if (!renewed)
        {
            Term = null;
            return true;
        }

        _deadline = TimeSpan.FromTicks(Math.Max(_deadline.Ticks, (sentAt + Timings.Ttl - Timings.Margin).Ticks));
        return Check(now);
    }

    /// <summary>Gives leadership up (shutdown, or a write found the term stale).</summary>
    public void Resign() => Term = null;

    /// <summary>When to ask the store next.</summary>
    public TimeSpan NextAttempt(TimeSpan now) => now + (Term is not null ? Timings.RenewInterval : Timings.RetryInterval);
}
