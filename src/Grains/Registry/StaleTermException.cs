namespace Mesos.Orleans.Grains.Registry;

/// <summary>A registry write was refused because the writer's leader term is no longer the lease's: another
/// master leads now. The writer must step down; nothing of the write was stored.</summary>
public sealed class StaleTermException(long term, string message) : Exception(message)
{
    public long Term { get; } = term;
}
