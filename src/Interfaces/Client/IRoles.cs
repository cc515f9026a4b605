using Mesos.Orleans.Interfaces.Operator;

namespace Mesos.Orleans.Interfaces.Client;

/// <summary>The roles of the cluster, their weights and quotas (operator calls <c>GET_ROLES</c>,
/// <c>GET_WEIGHTS</c>, <c>UPDATE_WEIGHTS</c>, <c>GET_QUOTA</c>, <c>UPDATE_QUOTA</c>).</summary>
public interface IRoles
{
    /// <summary>Every role that has a weight, a quota, a framework or reserved resources.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<RoleEntry>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The weights set by operators, by role (roles without one weigh 1).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyDictionary<string, double>> GetWeightsAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets the weights of the given roles, all or none.</summary>
    /// <param name="weights">Weight by role name; each must be positive.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task SetWeightsAsync(IReadOnlyDictionary<string, double> weights, CancellationToken cancellationToken = default);

    /// <summary>The quotas configured, one per role that has one.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<QuotaConfig>> GetQuotasAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets a role's guarantees and limits; empty maps remove its quota.</summary>
    /// <param name="quota">The role and its guarantees and limits, by resource name.</param>
    /// <param name="force">Sets guarantees the cluster cannot satisfy now, instead of refusing them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task SetQuotaAsync(QuotaConfig quota, bool force = false, CancellationToken cancellationToken = default);
}
