using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Grains.Storage;

namespace Mesos.Orleans.Silo.Cluster;

/// <summary>Starts the master core of a new master grain activation on the registry its grains keep, fenced by
/// the term the activation claimed. With <c>--registry in_memory</c> the registry lives in this process only, and
/// outlives activations, so that a reactivated master recovers what the previous one stored.</summary>
internal sealed class GrainMasterSource(
    MasterOptions options, IGrainFactory grains, IGrainStateCatalog catalog, IFailoverDeadlines deadlines, ILoggerFactory loggers) : IMasterCoreSource
{
    private readonly InMemoryRegistry? _inMemory = options.Registry == MasterOptions.InMemoryRegistry ? new() : null;

    public Task<MasterCore> StartAsync(long term, CancellationToken cancellationToken) => MasterCore.StartAsync(
        options.WithTerm(term),
        _inMemory ?? (IRegistry)new GrainRegistry(term, grains, catalog),
        deadlines,
        TimeProvider.System,
        loggers,
        cancellationToken);
}
