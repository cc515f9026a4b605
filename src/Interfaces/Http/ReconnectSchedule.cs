namespace Mesos.Orleans.Interfaces.Http;

/// <summary>How an attempt to reach the leading master ended.</summary>
public enum ReconnectOutcome
{
    /// <summary>Subscribed; the stream has since ended (the leader went away or closed it).</summary>
    StreamEnded,

    /// <summary>A standby answered 307 with the leader's address.</summary>
    Redirected,

    /// <summary>A live master answered 503: no leader is elected yet.</summary>
    NoLeaderYet,

    /// <summary>No answer: refused, timed out, reset, or any other failure.</summary>
    Failed,
}

/// <summary>
/// When a client of the leading master (an agent, or a simulated one in the benchmarks) tries again. A failed
/// attempt is followed at once by the next master until every master has been tried once; only a whole round
/// of failures waits, 200 ms doubling to 10 s — to 1 s when a live master answered in the round, saying that
/// no leader is elected yet or naming a leader that then could not be reached: either way a failover is under
/// way, the dead leader's lease runs out within seconds, and an agent that waited longer would be late for its
/// successor (a standby knows its leader is gone only when the lease expires, so it keeps naming it until then) —
/// each wait drawn between half and one and a half times, as Mesos's agents
/// spread their registrations with <c>--registration_backoff_factor</c>. So an agent that meets a dead master
/// loses no time on it — it moves on to the next one, as mesos-agent told of the new leader by ZooKeeper would —
/// and thousands of agents losing one master still come back spread out. A redirect is followed at once but
/// counts as one of the round's attempts, so masters redirecting to each other cannot keep a client spinning.
/// </summary>
public sealed class ReconnectSchedule(int masters, Random? random = null)
{
    public static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan FailoverMaxBackoff = TimeSpan.FromSeconds(1);

    private readonly Random _random = random ?? Random.Shared;
    private TimeSpan _backoff = MinBackoff;
    private int _attemptsInRound;
    private bool _failingOverInRound;

    /// <summary>The wait before the next attempt, after one that ended with <paramref name="outcome"/>.</summary>
    public TimeSpan After(ReconnectOutcome outcome)
    {
        if (outcome == ReconnectOutcome.StreamEnded)
        {
            // A fresh round: the masters are told of the loss about together, so spread the first retries too.
            _backoff = MinBackoff;
            _attemptsInRound = 0;
            _failingOverInRound = false;
            return Jittered(MinBackoff);
        }

        _failingOverInRound |= outcome is ReconnectOutcome.NoLeaderYet or ReconnectOutcome.Redirected;
        if (++_attemptsInRound <= masters && (outcome == ReconnectOutcome.Redirected || _attemptsInRound < masters))
        {
            return TimeSpan.Zero;
        }

        var cap = _failingOverInRound ? FailoverMaxBackoff : MaxBackoff;
        var wait = Jittered(TimeSpan.FromTicks(Math.Min(_backoff.Ticks, cap.Ticks)));
        _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, cap.Ticks));
        _attemptsInRound = 0;
        _failingOverInRound = false;
        return wait;
    }

    private TimeSpan Jittered(TimeSpan backoff) => backoff * (0.5 + _random.NextDouble());
}
