using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Frameworks;

/// <summary>Failover deadlines kept by each framework's <see cref="FrameworkGrain"/>.</summary>
public sealed class GrainFailoverDeadlines(IGrainFactory grains) : IFailoverDeadlines
{
    public Task StartAsync(FrameworkId id, DateTimeOffset deadline) => Grain(id).StartFailover(deadline);

    public Task ExpectAsync(FrameworkId id, DateTimeOffset grace, DateTimeOffset deadline) => Grain(id).ExpectAfterRecovery(grace, deadline);

    public Task CancelAsync(FrameworkId id) => Grain(id).CancelFailover();

    private IFrameworkGrain Grain(FrameworkId id) => grains.GetGrain<IFrameworkGrain>(FrameworkGrain.KeyOf(id));
}
