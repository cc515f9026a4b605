using Mesos.Orleans.Grains.Leadership;

namespace Mesos.Orleans.UnitTests.Leadership;

/// <summary>
/// A seeded, discrete-time simulation of several masters running <see cref="LeaseElection"/> against one
/// lease row, with the faults that break naive elections: lost requests, lost answers, slow answers,
/// masters paused for longer than the lease (GC, SIGSTOP), and clocks that run fast or slow. The store
/// (the database) is the reference clock. Checked at every step: never two masters acting as leader at
/// once, never two holders of one term, and no write accepted from a stale term; and, once the faults
/// stop, a leader within a bounded time.
/// </summary>
public sealed class ElectionSimulationTests
{
    private static readonly LeaseTimings Timings = new()
    {
        Ttl = TimeSpan.FromMilliseconds(2000),
        RenewInterval = TimeSpan.FromMilliseconds(500),
        RetryInterval = TimeSpan.FromMilliseconds(200),
        Margin = TimeSpan.FromMilliseconds(400),
    };

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 40; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Election_is_safe_under_loss_pauses_and_drift_and_elects_once_faults_stop(int seed)
    {
        var simulation = new Simulation(seed, masters: 3);
        simulation.Run(faultyFor: TimeSpan.FromSeconds(60), calmFor: TimeSpan.FromSeconds(10));

        Assert.Empty(simulation.Violations);
        Assert.True(simulation.LeaderAfterCalm, $"seed {seed}: no leader within the calm period");
        Assert.True(simulation.TermsGranted > 0);
        Assert.True(simulation.WritesAccepted > 0, $"seed {seed}: no write ever succeeded");
    }

    [Fact]
    public void A_leader_paused_past_its_lease_resumes_as_a_follower_and_its_write_is_refused()
    {
        var election = new LeaseElection("a", Timings);
        Assert.True(election.Acquired(TimeSpan.Zero, TimeSpan.FromMilliseconds(5), new LeaseObservation(7, "a", "a:1", Acquired: true)));
        Assert.True(election.IsLeader(TimeSpan.FromMilliseconds(1500)));

        // Paused from 1.5 s to 10 s: on resuming, the local deadline (2 s − 0.4 s after sending) has passed.
        Assert.False(election.IsLeader(TimeSpan.FromSeconds(10)));
        Assert.True(election.Check(TimeSpan.FromSeconds(10)));
        Assert.Null(election.Term);
    }

    [Fact]
    public void A_late_acquisition_answer_does_not_make_a_leader()
    {
        var election = new LeaseElection("a", Timings);

        // Sent at 0, answered at 1.7 s: the lease (by the store's clock) may already be close to expiry.
        Assert.False(election.Acquired(TimeSpan.Zero, TimeSpan.FromMilliseconds(1700), new LeaseObservation(3, "a", "a:1", Acquired: true)));
        Assert.False(election.IsLeader(TimeSpan.FromMilliseconds(1700)));
    }

    [Fact]
    public void Timings_that_cannot_be_safe_are_refused()
    {
        Assert.NotNull((Timings with { Margin = Timings.Ttl }).Validate());
        Assert.NotNull((Timings with { RenewInterval = TimeSpan.FromMilliseconds(1700) }).Validate());
        Assert.Null(Timings.Validate());
    }

    /// <summary>The world: one store, several masters, a message queue, all in ticks of 10 ms of real time.</summary>
    private sealed class Simulation(int seed, int masters)
    {
        private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
        private readonly Random _random = new(seed);
        private readonly Node[] _nodes = [.. Enumerable.Range(0, masters).Select(i => new Node($"m{i}", new Random(seed * 31 + i)))];
        private readonly List<Pending> _inFlight = [];
        private readonly Dictionary<long, string> _termHolders = [];
        private long _term;
        private string? _holder;
        private TimeSpan _expires = TimeSpan.MinValue;
        private long _lastWriteTerm;
        private TimeSpan _now;

        public List<string> Violations { get; } = [];

        public bool LeaderAfterCalm { get; private set; }

        public int TermsGranted => _termHolders.Count;

        public int WritesAccepted { get; private set; }

        public void Run(TimeSpan faultyFor, TimeSpan calmFor)
        {
            var end = faultyFor + calmFor;
            while (_now < end)
            {
                var faulty = _now < faultyFor;
                Deliver(faulty);
                foreach (var node in _nodes)
                {
                    Act(node, faulty);
                }

                CheckOneLeader();
                if (!faulty && _nodes.Any(n => n.Election.IsLeader(n.LocalNow(_now))))
                {
                    LeaderAfterCalm = true;
                }

                _now += Step;
            }
        }

        private void Act(Node node, bool faulty)
        {
            if (node.PausedUntil > _now)
            {
                return;
            }

            if (faulty && _random.NextDouble() < 0.002)
            {
                node.PausedUntil = _now + TimeSpan.FromMilliseconds(_random.Next(100, 5000)); // GC or SIGSTOP
                return;
            }

            var local = node.LocalNow(_now);
            node.Election.Check(local);

            // A leader acting writes, fenced by the store (the registry's term check).
            if (node.Election.IsLeader(local) && _random.NextDouble() < 0.2)
            {
                Write(node, node.Election.Term!.Value);
            }

            if (local < node.NextAttempt || node.Waiting)
            {
                return;
            }

            node.Waiting = true;
            var request = new Pending(node, local, node.Election.Term, Arrival: _now + Delay(faulty));
            if (faulty && _random.NextDouble() < 0.1)
            {
                request = request with { LostRequest = true };
            }
            else if (faulty && _random.NextDouble() < 0.1)
            {
                request = request with { LostAnswer = true };
            }

            _inFlight.Add(request);
        }

        private void Deliver(bool faulty)
        {
            foreach (var message in _inFlight.Where(m => m.Arrival <= _now).ToList())
            {
                _inFlight.Remove(message);
                var node = message.Node;
                if (message.AnsweredAt is null)
                {
                    if (message.LostRequest)
                    {
                        Timeout(node);
                        continue;
                    }

                    // The store applies the statement now, by its own clock.
                    var answer = message.Term is { } term ? (object)Renew(node.Name, term) : Acquire(node.Name);
                    if (message.LostAnswer)
                    {
                        Timeout(node);
                        continue;
                    }

                    _inFlight.Add(message with { AnsweredAt = _now, Answer = answer, Arrival = _now + Delay(faulty) });
                    continue;
                }

                if (node.PausedUntil > _now)
                {
                    _inFlight.Add(message with { Arrival = node.PausedUntil }); // Read after the pause.
                    continue;
                }

                var local = node.LocalNow(_now);
                if (message.Answer is LeaseObservation observation)
                {
                    node.Election.Acquired(message.SentAt, local, observation);
                }
                else if (message.Answer is bool renewed && message.Term is { } renewedTerm)
                {
                    node.Election.Renewed(renewedTerm, message.SentAt, local, renewed);
                }

                node.Waiting = false;
                node.NextAttempt = node.Election.NextAttempt(local);
            }
        }

        private void Timeout(Node node)
        {
            // The client's own timeout fires later; model it as the answer never coming.
            node.Waiting = false;
            node.NextAttempt = node.LocalNow(_now) + Timings.RetryInterval;
        }

        private LeaseObservation Acquire(string candidate)
        {
            if (_expires < _now)
            {
                _term++;
                _holder = candidate;
                _expires = _now + Timings.Ttl;
                if (!_termHolders.TryAdd(_term, candidate))
                {
                    Violations.Add($"{_now}: term {_term} granted twice");
                }

                return new LeaseObservation(_term, candidate, candidate, Acquired: true);
            }

            return new LeaseObservation(_term, _holder, _holder, Acquired: false);
        }

        private bool Renew(string holder, long term)
        {
            if (_holder != holder || _term != term)
            {
                return false;
            }

            _expires = _now + Timings.Ttl;
            return true;
        }

        private void Write(Node node, long term)
        {
            // The registry's fence: the writer must hold the current term.
            if (_holder != node.Name || _term != term)
            {
                return;
            }

            if (term < _lastWriteTerm)
            {
                Violations.Add($"{_now}: write in term {term} after a write in term {_lastWriteTerm}");
            }

            _lastWriteTerm = term;
            WritesAccepted++;
        }

        private void CheckOneLeader()
        {
            var acting = _nodes.Where(n => n.PausedUntil <= _now && n.Election.IsLeader(n.LocalNow(_now))).ToList();
            if (acting.Count > 1)
            {
                Violations.Add($"{_now}: {string.Join(", ", acting.Select(n => $"{n.Name} (term {n.Election.Term})"))} act as leader at once");
            }

            // A master acting as leader must hold the lease as the store sees it.
            foreach (var node in acting)
            {
                if (_holder != node.Name || _term != node.Election.Term || _expires < _now)
                {
                    Violations.Add($"{_now}: {node.Name} acts in term {node.Election.Term} but the store says {_holder}/{_term} until {_expires}");
                }
            }
        }

        private TimeSpan Delay(bool faulty) => TimeSpan.FromMilliseconds(faulty && _random.NextDouble() < 0.05 ? _random.Next(200, 3000) : _random.Next(0, 30));

        private sealed class Node(string name, Random random)
        {
            // Clocks drift up to ±1% (far beyond real hardware) and start anywhere.
            private readonly double _rate = 1 + ((random.NextDouble() * 2) - 1) * 0.01;
            private readonly TimeSpan _offset = TimeSpan.FromSeconds(random.Next(0, 1000));

            public string Name { get; } = name;

            public LeaseElection Election { get; } = new(name, Timings);

            public TimeSpan PausedUntil { get; set; }

            public TimeSpan NextAttempt { get; set; }

            public bool Waiting { get; set; }

            public TimeSpan LocalNow(TimeSpan real) => _offset + TimeSpan.FromTicks((long)(real.Ticks * _rate));
        }

        private sealed record Pending(Node Node, TimeSpan SentAt, long? Term, TimeSpan Arrival)
        {
            public bool LostRequest { get; init; }

            public bool LostAnswer { get; init; }

            public TimeSpan? AnsweredAt { get; init; }

            public object? Answer { get; init; }
        }
    }
}
