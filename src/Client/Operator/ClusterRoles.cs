using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Operator;

namespace Mesos.Orleans.Client.Operator;

/// <summary><see cref="IRoles"/> over GET_ROLES, GET_WEIGHTS, UPDATE_WEIGHTS, GET_QUOTA and UPDATE_QUOTA.</summary>
internal sealed class ClusterRoles(OperatorApi api) : IRoles
{
    public async Task<IReadOnlyList<RoleEntry>> ListAsync(CancellationToken cancellationToken = default) =>
        (await api.GetAsync(OperatorCallType.GET_ROLES, cancellationToken).ConfigureAwait(false)).GetRoles?.Roles ?? [];

    public async Task<IReadOnlyDictionary<string, double>> GetWeightsAsync(CancellationToken cancellationToken = default)
    {
        var weights = (await api.GetAsync(OperatorCallType.GET_WEIGHTS, cancellationToken).ConfigureAwait(false)).GetWeights?.WeightInfos ?? [];
        return weights.Where(w => w.Role is not null && w.Weight is not null).ToDictionary(w => w.Role!, w => w.Weight!.Value, StringComparer.Ordinal);
    }

    public Task SetWeightsAsync(IReadOnlyDictionary<string, double> weights, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return api.ExecuteAsync(
            new OperatorCall
            {
                Type = OperatorCallType.UPDATE_WEIGHTS,
                UpdateWeights = new UpdateWeightsCall { WeightInfos = [.. weights.Select(w => new WeightInfo { Role = w.Key, Weight = w.Value })] },
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<QuotaConfig>> GetQuotasAsync(CancellationToken cancellationToken = default) =>
        (await api.GetAsync(OperatorCallType.GET_QUOTA, cancellationToken).ConfigureAwait(false)).GetQuota?.Status?.Configs ?? [];

    public Task SetQuotaAsync(QuotaConfig quota, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quota);
        return api.ExecuteAsync(
            new OperatorCall
            {
                Type = OperatorCallType.UPDATE_QUOTA,
                UpdateQuota = new UpdateQuotaCall { Force = force ? true : null, QuotaConfigs = [quota] },
            },
            cancellationToken);
    }
}
