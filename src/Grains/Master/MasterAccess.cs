namespace Mesos.Orleans.Grains.Master;

/// <summary>How this silo reaches the master: the activation in this process when it is here, else the master
/// grain wherever Orleans has it (activating it if need be).</summary>
public sealed class MasterAccess(LocalMaster local, IGrainFactory grains)
{
    public IMasterGrain Current => (IMasterGrain?)local.Endpoint ?? grains.GetGrain<IMasterGrain>(MasterGrain.Key);
}
