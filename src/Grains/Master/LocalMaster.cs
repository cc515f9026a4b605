using Mesos.Orleans.Grains.Core;

namespace Mesos.Orleans.Grains.Master;

/// <summary>The master core active in this process, if the master grain's activation is here: what the
/// high-volume paths that must stay in-process (agents' usage streams) feed directly.</summary>
public sealed class LocalMaster
{
    private MasterCore? _current;

    public MasterCore? Current => Volatile.Read(ref _current);

    public void Attach(MasterCore core) => Volatile.Write(ref _current, core);

    /// <summary>Forgets <paramref name="core"/> unless another has replaced it already.</summary>
    public void Detach(MasterCore core) => Interlocked.CompareExchange(ref _current, null, core);
}
