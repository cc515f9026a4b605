using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Frameworks;

/// <summary>Failover deadlines kept by each framework's <see cref="FrameworkGrain"/>.</summary>
public sealed class GrainFailoverDeadlines(IGrainFactory grains) : IFailoverDeadlines
{
    public Task StartAsync(long term, FrameworkId id, DateTimeOffset deadline) => Grain(id).StartFailover(term, deadline);

    public Task ExpectAsync(long term, FrameworkId id, DateTimeOffset grace, DateTimeOffset deadline) => Grain(id).ExpectAfterRecovery(term, grace, deadline);

    public Task CancelAsync(long term, FrameworkId id) => Grain(id).CancelFailover(term);

    private IFrameworkGrain Grain(FrameworkId id) => grains.GetGrain<IFrameworkGrain>(FrameworkGrain.KeyOf(id));
}
