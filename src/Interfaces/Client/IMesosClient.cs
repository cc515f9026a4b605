namespace Mesos.Orleans.Interfaces.Client;

/// <summary>A Mesos cluster as a .NET service sees it: typed views of its frameworks, roles, agents and
/// tasks over the master's v1 operator API, its event stream, and schedulers for framework authors. The
/// client finds the leading master among the URLs it was given and follows it when leadership moves.</summary>
public interface IMesosClient
{
    /// <summary>The frameworks registered with the cluster.</summary>
    IFrameworks Frameworks { get; }

    /// <summary>The roles resources are shared among: weights and quotas.</summary>
    IRoles Roles { get; }

    /// <summary>The agents that offer their resources to the cluster.</summary>
    IAgents Agents { get; }

    /// <summary>The tasks frameworks run on the agents.</summary>
    ITasks Tasks { get; }

    /// <summary>The operator event stream: what changes in the cluster, as it happens.</summary>
    IClusterEvents Events { get; }

    /// <summary>A scheduler for one framework: subscribe it, then answer its offers and updates.</summary>
    /// <param name="options">How the scheduler acknowledges and reconciles; defaults when null.</param>
    IMesosScheduler CreateScheduler(SchedulerOptions? options = null);

    /// <summary>The URL of the leading master, asked of the known masters through their <c>/redirect</c>
    /// endpoint (a standby answers with the leader's address).</summary>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <exception cref="MesosConnectionException">No master named a leader.</exception>
    Task<Uri> FindLeaderAsync(CancellationToken cancellationToken = default);
}
