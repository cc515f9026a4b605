namespace Mesos.Orleans.Grains.Storage;

/// <summary>Reads every stored record of one grain state name in one query, straight from the grain storage's
/// table. A new master recovers from it: thousands of agent records in one read, instead of an activation and a
/// read per grain. Grain state is written before a grain answers, so what this reads is what the grains
/// acknowledged.</summary>
public interface IGrainStateCatalog
{
    Task<IReadOnlyList<T>> ReadAllAsync<T>(string stateName, CancellationToken cancellationToken);
}
