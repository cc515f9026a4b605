using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Client.Operator;

/// <summary><see cref="IFrameworks"/> over GET_FRAMEWORKS and TEARDOWN.</summary>
internal sealed class ClusterFrameworks(OperatorApi api) : IFrameworks
{
    public async Task<IReadOnlyList<FrameworkEntry>> ListAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync(cancellationToken).ConfigureAwait(false)).Frameworks ?? [];

    public async Task<IReadOnlyList<FrameworkEntry>> ListCompletedAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync(cancellationToken).ConfigureAwait(false)).CompletedFrameworks ?? [];

    public async Task<FrameworkEntry?> GetAsync(FrameworkId frameworkId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frameworkId);
        var all = await GetAsync(cancellationToken).ConfigureAwait(false);
        return (all.Frameworks ?? []).Concat(all.CompletedFrameworks ?? []).FirstOrDefault(f => f.FrameworkInfo?.Id == frameworkId);
    }

    public Task TearDownAsync(FrameworkId frameworkId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frameworkId);
        return api.ExecuteAsync(
            new OperatorCall { Type = OperatorCallType.TEARDOWN, Teardown = new TeardownCall { FrameworkId = frameworkId } }, cancellationToken);
    }

    private async Task<GetFrameworks> GetAsync(CancellationToken cancellationToken) =>
        (await api.GetAsync(OperatorCallType.GET_FRAMEWORKS, cancellationToken).ConfigureAwait(false)).GetFrameworks ?? new GetFrameworks();
}
