namespace Mesos.Orleans.Grains.Registry;

/// <summary>A record write was refused because the writer's term is no longer the latest: a newer activation
/// of the master claimed it. The writer must stop acting; nothing of the write was stored.</summary>
[GenerateSerializer]
public sealed class StaleTermException : Exception
{
    public StaleTermException(long term, string message)
        : base(message) => Term = term;

    [Id(0)]
    public long Term { get; private set; }
}
