using System.Collections.Concurrent;
using Mesos.Orleans.Interfaces.Operator;

namespace Mesos.Orleans.Grains.Master;

/// <summary>How this silo reaches the master: the activation in this process when it is here, else the master
/// grain wherever Orleans has it (activating it if need be).</summary>
public sealed class MasterAccess(LocalMaster local, IGrainFactory grains)
{
    private readonly ConcurrentDictionary<OperatorCallType, BatchedRead> _remoteViews = new();
    private BatchedRead? _remoteState;

    public IMasterGrain Current => (IMasterGrain?)local.Endpoint ?? Remote;

    private IMasterGrain Remote => grains.GetGrain<IMasterGrain>(MasterGrain.Key);

    /// <summary>A large operator view's JSON body (see <see cref="IMasterGrain.GetOperatorViewJson"/>); from another
    /// silo, the readers waiting here share each answer.</summary>
    public Task<byte[]> GetOperatorViewJson(OperatorCallType type) => local.Endpoint is { } here
        ? here.GetOperatorViewJson(type)
        : _remoteViews.GetOrAdd(type, t => new BatchedRead(() => Remote.GetOperatorViewJson(t))).ReadAsync();

    /// <summary>/master/state's JSON body (see <see cref="IMasterGrain.GetStateJson"/>); from another silo, the
    /// readers waiting here share each answer.</summary>
    public Task<byte[]> GetStateJson() => local.Endpoint is { } here
        ? here.GetStateJson()
        : LazyInitializer.EnsureInitialized(ref _remoteState, () => new BatchedRead(() => Remote.GetStateJson())).ReadAsync();
}
