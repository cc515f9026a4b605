using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.Grains.Leadership;

/// <summary>A change of this master's role in the election.</summary>
public abstract record LeadershipChange
{
    /// <summary>This master now leads in <see cref="Term"/>.</summary>
    public sealed record Elected(long Term) : LeadershipChange;

    /// <summary>This master stopped leading in <see cref="Term"/> (lease lost, refused, or resigned).</summary>
    public sealed record SteppedDown(long Term, string Reason) : LeadershipChange;

    /// <summary>A standby saw a different leader (null: none).</summary>
    public sealed record LeaderSeen(LeaseObservation? Leader) : LeadershipChange;
}

/// <summary>Runs <see cref="LeaseElection"/> against a store: renews while leading, tries to acquire while
/// standing by, and reports changes on <see cref="Changes"/>. Its clock is the injected
/// <see cref="TimeProvider"/>'s monotonic timestamp; the lease's expiry is the store's business.</summary>
public sealed class LeaseElector(
    ILeaseStore store, string candidate, string address, LeaseTimings timings, TimeProvider time, ILogger<LeaseElector> logger)
{
    private readonly LeaseElection _election = new(candidate, timings);
    private readonly Channel<LeadershipChange> _changes = Channel.CreateUnbounded<LeadershipChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _lock = new();
    private readonly long _origin = time.GetTimestamp();

    public ChannelReader<LeadershipChange> Changes => _changes.Reader;

    public string Candidate => candidate;

    /// <summary>The term this master may act in right now, or null; checked against the local deadline on every
    /// call, so a master resumed after a long pause answers null before its loop has even run.</summary>
    public long? CurrentTerm
    {
        get
        {
            lock (_lock)
            {
                return _election.IsLeader(Now()) ? _election.Term : null;
            }
        }
    }

    /// <summary>The leader a standby last saw, or null.</summary>
    public LeaseObservation? KnownLeader
    {
        get
        {
            lock (_lock)
            {
                return _election.KnownLeader;
            }
        }
    }

    /// <summary>Runs the election on a dedicated thread until <paramref name="cancellationToken"/> fires: its
    /// waits and (with the PostgreSQL store) its statements block only that thread, so renewals keep their
    /// rhythm however busy the thread pool is — a leader starved of renewals would step down for nothing.</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(cancellationToken);
                done.TrySetResult();
            }
            catch (OperationCanceledException)
            {
                done.TrySetResult();
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "leader-lease",
            Priority = ThreadPriority.AboveNormal,
        };
        thread.Start();
        return done.Task;
    }

    private void Run(CancellationToken cancellationToken)
    {
        LeaseObservation? lastSeen = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            long? term;
            lock (_lock)
            {
                term = _election.Term;
            }

            if (term is { } held)
            {
                Renew(held, cancellationToken);
            }
            else
            {
                lastSeen = Acquire(lastSeen, cancellationToken);
            }

            TimeSpan wait;
            lock (_lock)
            {
                var now = Now();
                var next = _election.NextAttempt(now);
                if (_election.Term is not null && _election.Deadline < next)
                {
                    next = _election.Deadline; // Wake to step down on time if renewals keep failing.
                }

                wait = next - now;
            }

            if (wait > TimeSpan.Zero)
            {
                Sleep(wait, cancellationToken);
            }
        }
    }

    /// <summary>Gives up leadership at once: a registry write found the term stale, or the master is stopping.</summary>
    public void Resign(string reason)
    {
        long? term;
        lock (_lock)
        {
            term = _election.Term;
            _election.Resign();
        }

        if (term is { } given)
        {
            Publish(new LeadershipChange.SteppedDown(given, reason));
        }
    }

    /// <summary>Resigns and lets the lease expire now, so a standby takes over without waiting for it.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        long? term;
        lock (_lock)
        {
            term = _election.Term;
        }

        Resign("shutting down");
        if (term is { } given)
        {
            await store.ReleaseAsync(candidate, given, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Sleep(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (time == TimeProvider.System)
        {
            // A kernel timed wait: no timer callback (which would itself queue on the thread pool) involved.
            cancellationToken.WaitHandle.WaitOne(wait);
        }
        else
        {
            Task.Delay(wait, time, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default).Wait(CancellationToken.None);
        }
    }

    private void Renew(long term, CancellationToken cancellationToken)
    {
        TimeSpan sentAt, deadline;
        lock (_lock)
        {
            sentAt = Now();
            deadline = _election.Deadline;
        }

        bool lost;
        string reason;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Max(deadline - sentAt, TimeSpan.FromMilliseconds(10)));
            var renewed = store.RenewAsync(candidate, term, timings.Ttl, timeout.Token).GetAwaiter().GetResult();
            lock (_lock)
            {
                lost = _election.Renewed(term, sentAt, Now(), renewed);
            }

            reason = renewed ? "the lease expired before its renewal was confirmed" : "another master holds the lease";
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            lock (_lock)
            {
                lost = _election.Check(Now());
            }

            reason = $"the lease could not be renewed before its deadline ({e.Message})";
            logger.LogWarning("Renewing the leader lease (term {Term}) failed: {Error}", term, e.Message);
        }

        if (lost)
        {
            Publish(new LeadershipChange.SteppedDown(term, reason));
        }
    }

    private LeaseObservation? Acquire(LeaseObservation? lastSeen, CancellationToken cancellationToken)
    {
        var sentAt = Now();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(timings.Ttl - timings.Margin);
            var observation = store.TryAcquireAsync(candidate, address, timings.Ttl, timeout.Token).GetAwaiter().GetResult();
            bool elected;
            LeaseObservation? seen;
            lock (_lock)
            {
                elected = _election.Acquired(sentAt, Now(), observation);
                seen = _election.KnownLeader;
            }

            if (elected)
            {
                Publish(new LeadershipChange.Elected(observation.Term));
            }
            else if (seen?.Holder != lastSeen?.Holder || seen?.Term != lastSeen?.Term)
            {
                Publish(new LeadershipChange.LeaderSeen(seen));
            }

            return seen;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not reach the leader lease: {Error}", e.Message);
            return lastSeen;
        }
    }

    private void Publish(LeadershipChange change)
    {
        logger.LogInformation("Leadership: {Change}", change);
        _changes.Writer.TryWrite(change);
    }

    private TimeSpan Now() => time.GetElapsedTime(_origin);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
