using System.Globalization;
using Mesos.Orleans.Interfaces.Operator;

namespace Mesos.Orleans.Grains.Core;

/// <summary>The master's settings, with Mesos's names and this project's defaults in one place.</summary>
public sealed class MasterOptions
{
    /// <summary>Hostname advertised to frameworks and agents.</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>The IPv4 address the master listens on.</summary>
    public string Ip { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 5050;

    /// <summary>Mesos's --registry=in_memory: nothing survives a restart.</summary>
    public const string InMemoryRegistry = "in_memory";

    /// <summary>Where the master's records (its grains' state) live: sqlite (the embedded default, a file under
    /// the work directory) or in_memory; postgres when the silos are clustered on PostgreSQL.</summary>
    public string Registry { get; set; } = "sqlite";

    /// <summary>Where the embedded silo's SQLite file (grain state and reminders) lives.</summary>
    public string WorkDir { get; set; } = "./.work/master";

    /// <summary>Mesos hard-codes 15 s; 5 s keeps the npm mesos-framework client, which gives up after 10 s of
    /// silence, alive.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Periodic allocation runs; events trigger extra (coalesced) runs in between.</summary>
    public TimeSpan AllocationInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an agent's stream may stay silent before it counts as disconnected.</summary>
    public TimeSpan AgentHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Mesos's agent_ping_timeout × max_agent_ping_timeouts (15 s × 5): how long an agent may stay
    /// disconnected before it is unreachable and its tasks are reported TASK_UNREACHABLE (or TASK_LOST).</summary>
    public TimeSpan AgentUnreachableTimeout { get; set; } = TimeSpan.FromSeconds(75);

    /// <summary>Terminal tasks kept per framework for the state endpoints.</summary>
    public int MaxCompletedTasksPerFramework { get; set; } = 1000;

    /// <summary>Mesos's --offer_timeout: offers held longer are rescinded. Unset (the default): offers never expire.</summary>
    public TimeSpan? OfferTimeout { get; set; }

    public string Version { get; set; } = "1.11.0";

    /// <summary>Mesos's --agent_reregister_timeout: after a failover or restart, how long agents the registry
    /// knows have to reregister before they are marked unreachable.</summary>
    public TimeSpan AgentReregisterTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The term this master's activation acts in (the fencing token of its record writes); stamped on the
    /// agents' SUBSCRIBED events so that agents can refuse an older activation. Null for a core started outside
    /// the master grain (tests).</summary>
    public long? LeaderTerm { get; set; }

    /// <summary>The port of the master's own receiver of agents' usage streams (0: one the system picks).</summary>
    public int UsagePort { get; set; }

    /// <summary>Where agents send their usage streams, told them in SUBSCRIBED; null: to the main port.</summary>
    public string? UsageUrl { get; set; }

    /// <summary>A copy of these options with agents' usage streams sent to <paramref name="url"/>.</summary>
    public MasterOptions WithUsageUrl(string url)
    {
        var copy = (MasterOptions)MemberwiseClone();
        copy.UsageUrl = url;
        return copy;
    }

    /// <summary>A copy of these options for a master leading in <paramref name="term"/>.</summary>
    public MasterOptions WithTerm(long term)
    {
        var copy = (MasterOptions)MemberwiseClone();
        copy.LeaderTerm = term;
        return copy;
    }

    /// <summary>The effective flags, as /flags and GET_FLAGS show them.</summary>
    public SortedDictionary<string, string> ToFlags() => new(StringComparer.Ordinal)
    {
        ["ip"] = Ip,
        ["hostname"] = Hostname,
        ["port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["usage_port"] = UsagePort.ToString(CultureInfo.InvariantCulture),
        ["work_dir"] = WorkDir,
        ["registry"] = Registry,
        ["heartbeat_interval"] = Seconds(HeartbeatInterval),
        ["allocation_interval"] = Seconds(AllocationInterval),
        ["agent_heartbeat_interval"] = Seconds(AgentHeartbeatInterval),
        ["agent_unreachable_timeout"] = Seconds(AgentUnreachableTimeout),
        ["offer_timeout"] = OfferTimeout is { } timeout ? Seconds(timeout) : string.Empty,
        ["agent_reregister_timeout"] = Seconds(AgentReregisterTimeout),
        ["max_completed_tasks_per_framework"] = MaxCompletedTasksPerFramework.ToString(CultureInfo.InvariantCulture),
        ["version"] = Version,
    };

    public VersionInfo ToVersionInfo() => new()
    {
        Version = Version,
        BuildDate = string.Empty,
        BuildTime = 0,
        BuildUser = "mesos-orleans",
        GitBranch = "main",
    };

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "secs";
}
