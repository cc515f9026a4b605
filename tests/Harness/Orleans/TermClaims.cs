using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Mesos.Orleans.Testing.Orleans;

/// <summary>Claims a master term in a silo's grain storage, as a master grain activation does, without starting
/// a master: what a newer activation elsewhere would leave behind.</summary>
public static class TermClaims
{
    public static async Task ClaimAsync(IServiceProvider silo, long term)
    {
        var storage = silo.GetRequiredKeyedService<IGrainStorage>(GrainStorageName.Mesos);
        var master = silo.GetRequiredService<IGrainFactory>().GetGrain<IMasterGrain>(MasterGrain.Key).GetGrainId();
        var claimed = new GrainState<MasterTerm>(new MasterTerm());
        await storage.ReadStateAsync(MasterTerm.StateName, master, claimed);
        claimed.State = new MasterTerm { Term = term };
        await storage.WriteStateAsync(MasterTerm.StateName, master, claimed);
    }
}
