using Npgsql;

namespace Mesos.Orleans.Grains.Storage.Postgres;

/// <summary>Connection settings for this silo's own statements on the cluster's PostgreSQL (migrations, and the
/// catalog a new master recovers from).</summary>
public static class PostgresConnections
{
    /// <summary>A pooled data source with bounded statements, so that a stalled database fails a read instead
    /// of holding a master's recovery forever.</summary>
    public static NpgsqlDataSource Bounded(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = 5,
            CommandTimeout = 10,
            KeepAlive = 5,
            TcpKeepAlive = true,
            Options = "-c lock_timeout=5000 -c statement_timeout=10000",
        };
        builder.ApplicationName ??= "mesos-master";
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }
}
