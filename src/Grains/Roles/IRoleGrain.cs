using Mesos.Orleans.Interfaces.Operator;

namespace Mesos.Orleans.Grains.Roles;

/// <summary>A role's grain, keyed by <see cref="RoleGrain.KeyOf"/>: the durable weight and quota of the role.
/// Every write names the master's term and is refused once a newer master activation exists.</summary>
public interface IRoleGrain : IGrainWithStringKey
{
    Task SetWeight(long term, double weight, DateTimeOffset at);

    /// <summary>Stores the role's quota; a config without guarantees and limits removes it.</summary>
    Task SetQuota(long term, QuotaConfig quota, DateTimeOffset at);
}
