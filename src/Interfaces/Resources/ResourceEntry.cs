namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>One line of a <see cref="ResourceBag"/>: a kind of resource and how much of it.</summary>
public readonly record struct ResourceEntry(ResourceKey Key, ResourceValue Value)
{
    /// <summary>"cpus(eng):2", the Mesos text syntax for one resource.</summary>
    public override string ToString() => Key + ":" + Value;
}
