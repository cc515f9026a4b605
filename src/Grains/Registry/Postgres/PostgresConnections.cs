using Mesos.Orleans.Grains.Leadership;
using Npgsql;

namespace Mesos.Orleans.Grains.Registry.Postgres;

/// <summary>Connection settings for the master's two kinds of PostgreSQL connection.</summary>
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

    /// <summary>The lease's own connection: not pooled (the lease must never wait behind registry work or a
    /// pooler), with application- and TCP-level keepalives and short timeouts, so that a dead server or path
    /// is noticed within the lease rather than after the kernel's two hours.</summary>
    public static string Lease(string connectionString, LeaseTimings timings)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(timings.Ttl.TotalSeconds));
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            Timeout = seconds,
            CommandTimeout = seconds,
            KeepAlive = 1,
            TcpKeepAlive = true,
            TcpKeepAliveTime = 1,
            TcpKeepAliveInterval = 1,
            Options = $"-c lock_timeout={(int)timings.Ttl.TotalMilliseconds / 2} -c statement_timeout={(int)timings.Ttl.TotalMilliseconds}",
        };
        builder.ApplicationName = "mesos-master-lease";
        return builder.ConnectionString;
    }
}
