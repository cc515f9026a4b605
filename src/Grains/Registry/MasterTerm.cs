namespace Mesos.Orleans.Grains.Registry;

/// <summary>The master grain's durable incarnation counter: each activation claims the next term (an ETag-checked
/// write, so two activations racing cannot claim the same one) before it recovers, and every record write it
/// makes names that term.</summary>
[GenerateSerializer]
public sealed class MasterTerm
{
    /// <summary>The master grain's state name; the fence reads the same record.</summary>
    public const string StateName = "master-term";

    [Id(0)]
    public long Term { get; set; }

    /// <summary>The term after <paramref name="previous"/>: one more, and no less than the time in milliseconds.
    /// Agents remember the highest term they followed and refuse an older one, so terms must grow even where the
    /// stored one is gone (an in-memory master restarted, a new database, an upgrade from the registry's own
    /// incarnation table) — as long as the clock does not go back by more than the time between failovers.</summary>
    public static long Next(long previous, DateTimeOffset now) => Math.Max(previous + 1, now.ToUnixTimeMilliseconds());
}
