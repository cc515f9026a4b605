using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Mesos.Orleans.Grains.Registry;

/// <summary>Refuses a record write from a master activation whose term is no longer the latest claimed. The
/// record grains ask it inside the turn that writes, reading the claimed term from grain storage itself (not
/// from the master grain, whose stale activation would vouch for itself): once a newer activation has claimed,
/// an older one's writes fail with <see cref="StaleTermException"/>.</summary>
public sealed class TermFence([FromKeyedServices(GrainStorageName.Mesos)] IGrainStorage storage, IGrainFactory grains)
{
    private readonly GrainId _master = grains.GetGrain<IMasterGrain>(MasterGrain.Key).GetGrainId();

    public async Task EnsureCurrentAsync(long term)
    {
        var claimed = new GrainState<MasterTerm>(new MasterTerm());
        await storage.ReadStateAsync(MasterTerm.StateName, _master, claimed).ConfigureAwait(false);
        if (claimed.State?.Term is { } latest && latest > term)
        {
            throw new StaleTermException(term, $"Term {term} is no longer the master's: term {latest} was claimed since");
        }
    }
}
