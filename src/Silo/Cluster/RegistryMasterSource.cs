using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Registry;

namespace Mesos.Orleans.Silo.Cluster;

/// <summary>Starts the master core of an embedded master on its registry (SQLite under the work directory, or in
/// memory). The registry is opened once and outlives activations, so a reactivated master recovers what the
/// previous one stored.</summary>
internal sealed class RegistryMasterSource(MasterOptions options, IFailoverDeadlines deadlines, ILoggerFactory loggers) : IMasterCoreSource, IDisposable
{
    private readonly SemaphoreSlim _opening = new(1, 1);
    private IRegistry? _registry;

    public async Task<MasterCore> StartAsync(CancellationToken cancellationToken)
    {
        var registry = await RegistryAsync(cancellationToken).ConfigureAwait(false);
        return await MasterCore.StartAsync(options, registry, deadlines, TimeProvider.System, loggers, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _opening.Dispose();

    private async Task<IRegistry> RegistryAsync(CancellationToken cancellationToken)
    {
        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _registry ??= options.Registry == "in_memory"
                ? new InMemoryRegistry()
                : await SqliteRegistry.OpenAsync(Path.Combine(options.WorkDir, "registry.db"), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _opening.Release();
        }
    }
}
