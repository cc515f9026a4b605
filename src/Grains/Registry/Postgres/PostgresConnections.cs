using Npgsql;

namespace Mesos.Orleans.Grains.Registry.Postgres;

/// <summary>Connection settings for the master's registry on PostgreSQL.</summary>
public static class PostgresConnections
{
    /// <summary>The pooled data source for registry reads and writes: statements bounded so that a stalled
    /// database fails a write (and its turn) instead of holding the master's loop forever.</summary>
    public static NpgsqlDataSource Registry(string connectionString)
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
