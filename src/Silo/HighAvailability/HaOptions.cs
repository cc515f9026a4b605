using Mesos.Orleans.AgentHost;
using Mesos.Orleans.Grains.Leadership;

namespace Mesos.Orleans.Silo.HighAvailability;

/// <summary>Flags of a master in an HA group: <c>--registry=postgres --registry_connection=…</c> (an Npgsql
/// connection string; MESOS_REGISTRY_CONNECTION in the environment works too, to keep passwords off the
/// command line) and the lease timings.</summary>
public sealed record HaOptions(string ConnectionString, LeaseTimings Timings)
{
    public static HaOptions Read(Flags flags)
    {
        var connection = flags.Get("registry_connection")
            ?? throw new ArgumentException("--registry=postgres needs --registry_connection (an Npgsql connection string)");
        var defaults = new LeaseTimings();
        var timings = new LeaseTimings
        {
            Ttl = flags.GetSeconds("lease_ttl", defaults.Ttl),
            RenewInterval = flags.GetSeconds("lease_renew_interval", defaults.RenewInterval),
            RetryInterval = flags.GetSeconds("lease_retry_interval", defaults.RetryInterval),
            Margin = flags.GetSeconds("lease_margin", defaults.Margin),
        };
        if (timings.Validate() is { } error)
        {
            throw new ArgumentException($"Invalid lease timings: {error}");
        }

        return new HaOptions(connection, timings);
    }
}
