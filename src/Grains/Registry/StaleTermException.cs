namespace Mesos.Orleans.Grains.Registry;

/// <summary>A registry write was refused because the writer's term is no longer the latest: a newer activation
/// of the master claimed the registry. The writer must stop acting; nothing of the write was stored.</summary>
public sealed class StaleTermException(long term, string message) : Exception(message)
{
    public long Term { get; } = term;
}
