using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Mesos.Orleans.Benchmarks.Takeover;

/// <summary>How one reconnection attempt of a simulated agent ended.</summary>
internal enum AttemptOutcome
{
    Subscribed,
    Redirected,
    NoLeader,
    Refused,
    TimedOut,
    Broken,
}

/// <summary>What each simulated agent met after the failover, attempt by attempt, so that the benchmark can say
/// why the last agents came back when they did (refusals while the new leader's host starts, connect timeouts
/// in a full accept queue, 503s through the election) instead of giving a bare figure.</summary>
internal sealed class AttemptLog(int agents)
{
    private readonly List<(long Started, long At, AttemptOutcome Outcome, int Master)>[] _attempts = [.. Enumerable.Range(0, agents).Select(_ => new List<(long, long, AttemptOutcome, int)>())];
    private long _since = long.MaxValue;

    public void Start() => Volatile.Write(ref _since, Stopwatch.GetTimestamp());

    public void Record(int agent, AttemptOutcome outcome, int master, long started)
    {
        var now = Stopwatch.GetTimestamp();
        if (now >= Volatile.Read(ref _since))
        {
            _attempts[agent].Add((started, now, outcome, master));
        }
    }

    /// <summary>Counts of each outcome by half-second after the failover, then the attempts of the slowest agents.</summary>
    public string Summary(int slowest)
    {
        var since = Volatile.Read(ref _since);
        var text = new StringBuilder();
        var buckets = new SortedDictionary<int, int[]>();
        foreach (var attempts in _attempts)
        {
            foreach (var (_, at, outcome, _) in attempts)
            {
                var bucket = (int)(Stopwatch.GetElapsedTime(since, at).TotalSeconds * 2);
                if (!buckets.TryGetValue(bucket, out var counts))
                {
                    buckets[bucket] = counts = new int[Enum.GetValues<AttemptOutcome>().Length];
                }

                counts[(int)outcome]++;
            }
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  attempts by half-second after the kill ({string.Join(' ', Enum.GetNames<AttemptOutcome>())}):");
        foreach (var (bucket, counts) in buckets)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {bucket / 2.0,5:F1} s: {string.Join(' ', counts.Select(c => c.ToString(CultureInfo.InvariantCulture).PadLeft(5)))}");
        }

        var latest = _attempts
            .Where(a => a.Count > 0)
            .OrderByDescending(a => a[^1].At)
            .Take(slowest);
        text.AppendLine("  the slowest agents' attempts (seconds after the kill):");
        foreach (var attempts in latest)
        {
            text.AppendLine("    " + string.Join(", ", attempts.Select(a =>
                string.Create(CultureInfo.InvariantCulture, $"{Stopwatch.GetElapsedTime(since, a.Started).TotalSeconds:F2}–{Stopwatch.GetElapsedTime(since, a.At).TotalSeconds:F2} {a.Outcome}@{(char)('A' + a.Master)}"))));
        }

        return text.ToString();
    }
}
