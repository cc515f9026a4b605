using Mesos.Orleans.Interfaces.Http;

namespace Mesos.Orleans.UnitTests.Agent;

/// <summary>An agent that loses its master tries the next master at once, follows redirects at once, and
/// backs off only after a whole round of masters failed — never spinning between masters that redirect to
/// each other, and never waiting more than a second while a live master shows that a failover is under way.</summary>
public sealed class ReconnectScheduleTests
{
    private static readonly TimeSpan Zero = TimeSpan.Zero;

    [Fact]
    public void A_failed_master_is_followed_at_once_by_the_next_and_a_failed_round_backs_off_doubling_to_ten_seconds()
    {
        var schedule = new ReconnectSchedule(masters: 2, new MiddleRandom());
        var waits = Enumerable.Range(0, 16).Select(_ => schedule.After(ReconnectOutcome.Failed)).ToList();

        Assert.Equal(
            [Zero, Ms(200), Zero, Ms(400), Zero, Ms(800), Zero, Ms(1600), Zero, Ms(3200), Zero, Ms(6400), Zero, Ms(10_000), Zero, Ms(10_000)],
            waits);
    }

    [Fact]
    public void With_one_master_every_failure_waits()
    {
        var schedule = new ReconnectSchedule(masters: 1, new MiddleRandom());

        Assert.Equal([Ms(200), Ms(400), Ms(800)], Enumerable.Range(0, 3).Select(_ => schedule.After(ReconnectOutcome.Failed)));
    }

    [Fact]
    public void A_redirect_is_followed_at_once_but_counts_in_the_round_and_caps_its_wait_at_a_second()
    {
        var schedule = new ReconnectSchedule(masters: 2, new MiddleRandom());

        // The standby names a leader that is gone (until its lease runs out): one redirect and one refusal make
        // the round, and since a live master answered, a failover is under way and the wait stays short.
        var waits = Enumerable.Range(0, 6).SelectMany(_ => new[] { schedule.After(ReconnectOutcome.Redirected), schedule.After(ReconnectOutcome.Failed) });

        Assert.Equal([Zero, Ms(200), Zero, Ms(400), Zero, Ms(800), Zero, Ms(1000), Zero, Ms(1000), Zero, Ms(1000)], waits);
    }

    [Fact]
    public void Masters_redirecting_to_each_other_cannot_keep_an_agent_spinning()
    {
        var schedule = new ReconnectSchedule(masters: 2, new MiddleRandom());

        var waits = Enumerable.Range(0, 6).Select(_ => schedule.After(ReconnectOutcome.Redirected)).ToList();

        Assert.Equal([Zero, Zero, Ms(200), Zero, Zero, Ms(400)], waits);
    }

    [Fact]
    public void While_an_election_is_under_way_a_round_waits_at_most_a_second()
    {
        var schedule = new ReconnectSchedule(masters: 2, new MiddleRandom());
        for (var i = 0; i < 10; i++)
        {
            schedule.After(ReconnectOutcome.Failed); // the backoff has grown to 10 s
        }

        Assert.Equal(Zero, schedule.After(ReconnectOutcome.NoLeaderYet));
        Assert.Equal(Ms(1000), schedule.After(ReconnectOutcome.Failed));
        Assert.Equal(Zero, schedule.After(ReconnectOutcome.NoLeaderYet));
        Assert.Equal(Ms(1000), schedule.After(ReconnectOutcome.NoLeaderYet));
    }

    [Fact]
    public void A_stream_that_ends_starts_a_fresh_round_after_a_short_spread()
    {
        var schedule = new ReconnectSchedule(masters: 2, new MiddleRandom());
        for (var i = 0; i < 10; i++)
        {
            schedule.After(ReconnectOutcome.Failed);
        }

        Assert.Equal(Ms(200), schedule.After(ReconnectOutcome.StreamEnded));
        Assert.Equal(Zero, schedule.After(ReconnectOutcome.Failed));
        Assert.Equal(Ms(200), schedule.After(ReconnectOutcome.Failed));
    }

    [Fact]
    public void Waits_are_spread_between_half_and_one_and_a_half_times_the_backoff()
    {
        var schedule = new ReconnectSchedule(masters: 1, new Random(7));
        var waits = Enumerable.Range(0, 200).Select(_ => schedule.After(ReconnectOutcome.StreamEnded)).ToList();

        Assert.All(waits, w => Assert.InRange(w, Ms(100), Ms(300)));
        Assert.True(waits.Distinct().Count() > 100, "the waits are drawn, not fixed");
    }

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>Draws the middle of the jitter range, so a wait is exactly its backoff.</summary>
    private sealed class MiddleRandom : Random
    {
        public override double NextDouble() => 0.5;
    }
}
