using Mesos.Orleans.Grains.Core;

namespace Mesos.Orleans.Grains.Master;

/// <summary>Starts the master core for a new activation of <see cref="MasterGrain"/> in the term it claimed: the
/// host knows the options, the registry and the ports.</summary>
public interface IMasterCoreSource
{
    Task<MasterCore> StartAsync(long term, CancellationToken cancellationToken);
}
