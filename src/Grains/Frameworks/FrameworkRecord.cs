namespace Mesos.Orleans.Grains.Frameworks;

/// <summary>What <see cref="FrameworkGrain"/> stores of its framework for a new master: its FrameworkInfo (as
/// Mesos v1 JSON) and whether it was removed (a removed framework may not subscribe again).</summary>
[GenerateSerializer]
public sealed class FrameworkRecord : Registry.ITermedRecord
{
    [Id(0)]
    public string FrameworkId { get; set; } = string.Empty;

    [Id(1)]
    public string InfoJson { get; set; } = string.Empty;

    [Id(2)]
    public DateTimeOffset RegisteredAt { get; set; }

    /// <summary>When it was removed (torn down, or its failover timeout passed); null while it is not.</summary>
    [Id(3)]
    public DateTimeOffset? RemovedAt { get; set; }

    [Id(4)]
    public long Term { get; set; }
}
