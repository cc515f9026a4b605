using Mesos.Orleans.AgentHost;

namespace Mesos.Orleans.Silo.Cluster;

/// <summary>How this process joins the Orleans cluster that is the master: from the flags
/// <c>--cluster</c>, <c>--cluster_connection</c> (or MESOS_CLUSTER_CONNECTION), <c>--cluster_id</c>,
/// <c>--silo_port</c> and <c>--gateway_port</c>.</summary>
public sealed record SiloOptions
{
    /// <summary>No database named: one silo, localhost clustering, grain state in SQLite under the work directory.</summary>
    public const string Embedded = "embedded";

    /// <summary>Silos clustered through PostgreSQL: membership, grain state and reminders in one database.</summary>
    public const string Postgres = "postgres";

    /// <summary><see cref="Embedded"/> or <see cref="Postgres"/>.</summary>
    public string Cluster { get; init; } = Embedded;

    /// <summary>An Npgsql connection string, with <see cref="Postgres"/>.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Silos with the same cluster ID on one database form one cluster.</summary>
    public string ClusterId { get; init; } = "mesos";

    /// <summary>Silo-to-silo traffic. Below 32768, where the kernel's ephemeral ports start on our machines,
    /// so that no outgoing connection can hold it when the silo binds.</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>Where Orleans clients (.NET services, agent hosts) connect.</summary>
    public int GatewayPort { get; init; } = 30000;

    public static SiloOptions Read(Flags flags)
    {
        var defaults = new SiloOptions();
        var cluster = flags.Get("cluster", Embedded);
        if (cluster is not (Embedded or Postgres))
        {
            throw new ArgumentException($"--cluster must be '{Postgres}' (silos clustered through PostgreSQL) or '{Embedded}' (the default: one silo), not '{cluster}'");
        }

        var connection = flags.Get("cluster_connection");
        if (cluster == Postgres && string.IsNullOrWhiteSpace(connection))
        {
            throw new ArgumentException("--cluster postgres needs --cluster_connection (or MESOS_CLUSTER_CONNECTION): an Npgsql connection string");
        }

        return new SiloOptions
        {
            Cluster = cluster,
            ConnectionString = connection,
            ClusterId = flags.Get("cluster_id", defaults.ClusterId),
            SiloPort = Port(flags, "silo_port", defaults.SiloPort),
            GatewayPort = Port(flags, "gateway_port", defaults.GatewayPort),
        };
    }

    private static int Port(Flags flags, string name, int fallback)
    {
        var port = flags.GetInt(name, fallback);
        return port is > 0 and <= 65535 ? port : throw new ArgumentException($"--{name} must be a port number (1-65535), not {port}");
    }
}
