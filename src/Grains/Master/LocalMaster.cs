using Mesos.Orleans.Grains.Core;

namespace Mesos.Orleans.Grains.Master;

/// <summary>The master active in this process, if the master grain's activation is here. Calls from this
/// silo's HTTP endpoints go to it directly, without a grain call's hop and copy, and the high-volume paths that
/// must stay in-process (agents' usage streams) feed its core.</summary>
public sealed class LocalMaster
{
    private MasterEndpoint? _endpoint;

    public MasterEndpoint? Endpoint => Volatile.Read(ref _endpoint);

    public MasterCore? Current => Endpoint?.Core;

    public void Attach(MasterEndpoint endpoint) => Volatile.Write(ref _endpoint, endpoint);

    /// <summary>Forgets <paramref name="endpoint"/> unless another has replaced it already.</summary>
    public void Detach(MasterEndpoint endpoint) => Interlocked.CompareExchange(ref _endpoint, null, endpoint);
}
