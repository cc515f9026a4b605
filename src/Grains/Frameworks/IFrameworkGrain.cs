using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Frameworks;

/// <summary>A framework's grain, keyed by its framework ID. It keeps the framework's failover deadline as
/// durable state and an Orleans reminder, so that a disconnected framework is removed when its
/// failover_timeout runs out even if the master's silo dies first.</summary>
public interface IFrameworkGrain : IGrainWithStringKey
{
    /// <summary>See <see cref="Core.IFailoverDeadlines.StartAsync"/>.</summary>
    Task StartFailover(DateTimeOffset deadline);

    /// <summary>See <see cref="Core.IFailoverDeadlines.ExpectAsync"/>.</summary>
    Task ExpectAfterRecovery(DateTimeOffset grace, DateTimeOffset deadline);

    /// <summary>See <see cref="Core.IFailoverDeadlines.CancelAsync"/>.</summary>
    Task CancelFailover();

    /// <summary>The deadline kept, if any.</summary>
    Task<DateTimeOffset?> GetFailoverDeadline();
}
