using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Registry.Postgres;
using Npgsql;

namespace Mesos.Orleans.Silo.Cluster;

/// <summary>Starts the master core of a clustered master on the cluster's PostgreSQL: each activation claims the
/// next term, writes to the registry fenced by it, and stamps it on the agents' SUBSCRIBED, so that neither
/// the registry nor an agent takes anything from an older activation.</summary>
internal sealed class PostgresMasterSource(MasterOptions options, NpgsqlDataSource database, IFailoverDeadlines deadlines, ILoggerFactory loggers) : IMasterCoreSource
{
    public async Task<MasterCore> StartAsync(CancellationToken cancellationToken)
    {
        var holder = Guid.NewGuid().ToString();
        var term = await MasterIncarnation.ClaimAsync(database, holder, $"{options.Hostname}:{options.Port}", cancellationToken).ConfigureAwait(false);
        return await MasterCore.StartAsync(
            options.WithTerm(term), new PostgresRegistry(database, holder, term), deadlines, TimeProvider.System, loggers, cancellationToken).ConfigureAwait(false);
    }
}
