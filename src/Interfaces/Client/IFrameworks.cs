using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Client;

/// <summary>The frameworks of the cluster (operator calls <c>GET_FRAMEWORKS</c> and <c>TEARDOWN</c>).</summary>
public interface IFrameworks
{
    /// <summary>The frameworks the master knows now (connected or within their failover timeout).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<FrameworkEntry>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The frameworks that were torn down or whose failover timeout ran out.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<FrameworkEntry>> ListCompletedAsync(CancellationToken cancellationToken = default);

    /// <summary>One framework, registered or completed; null when the master does not know it.</summary>
    /// <param name="frameworkId">The framework's ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<FrameworkEntry?> GetAsync(FrameworkId frameworkId, CancellationToken cancellationToken = default);

    /// <summary>Removes a framework: its tasks are killed and its offers withdrawn.</summary>
    /// <param name="frameworkId">The framework's ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task TearDownAsync(FrameworkId frameworkId, CancellationToken cancellationToken = default);
}
