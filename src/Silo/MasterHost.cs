using Mesos.Orleans.AgentHost;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Registry;
using System.Globalization;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Silo.Http;
using Mesos.Orleans.Silo.Metrics;

namespace Mesos.Orleans.Silo;

/// <summary>Builds the master's web host from Mesos-style flags.</summary>
public static class MasterHost
{
    public static MasterOptions ReadOptions(Flags flags)
    {
        var defaults = new MasterOptions();
        return new MasterOptions
        {
            Ip = flags.Get("ip", defaults.Ip),
            Hostname = flags.Get("hostname") ?? flags.Get("ip", defaults.Hostname),
            Port = flags.GetInt("port", defaults.Port),
            WorkDir = flags.Get("work_dir", defaults.WorkDir),
            Registry = flags.Get("registry", defaults.Registry),
            HeartbeatInterval = flags.GetSeconds("heartbeat_interval", defaults.HeartbeatInterval),
            AllocationInterval = flags.GetSeconds("allocation_interval", defaults.AllocationInterval),
            AgentHeartbeatInterval = flags.GetSeconds("agent_heartbeat_interval", defaults.AgentHeartbeatInterval),
            AgentUnreachableTimeout = TimeSpan.FromTicks(flags.GetSeconds("agent_ping_timeout", TimeSpan.FromSeconds(15)).Ticks * flags.GetInt("max_agent_ping_timeouts", 5)),
            OfferTimeout = flags.Get("offer_timeout") is null ? null : flags.GetSeconds("offer_timeout", TimeSpan.Zero),
            AgentReregisterTimeout = flags.GetSeconds("agent_reregister_timeout", defaults.AgentReregisterTimeout),
            UsagePort = flags.GetInt("usage_port", defaults.UsagePort),
        };
    }

    /// <summary>A leading master: its web host and the core behind it.</summary>
    public sealed record LeaderApp(WebApplication App, MasterCore Master);

    /// <summary>A single master (embedded registry: SQLite or in memory), leading from the start.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = ReadOptions(Flags.FromArgs(args));
        IRegistry registry = options.Registry switch
        {
            "in_memory" => new InMemoryRegistry(),
            "sqlite" => await SqliteRegistry.OpenAsync(Path.Combine(options.WorkDir, "registry.db"), cancellationToken),
            var other => throw new ArgumentException($"--registry must be 'sqlite' (the default), 'in_memory' or 'postgres', not '{other}'"),
        };
        var silo = Cluster.SiloOptions.Read(Flags.FromArgs(args));
        if (silo.Cluster != Cluster.SiloOptions.Embedded)
        {
            // The master's state still lives in one process's core, which a second silo could not share.
            throw new ArgumentException("--cluster postgres is not served yet: the master's frameworks, agents and roles are not grains yet; run several masters with --registry postgres");
        }

        var leader = await BuildLeaderAsync(args, options, registry, snapshot: null, ha: null, cancellationToken, silo);
        leader.App.Lifetime.ApplicationStopped.Register(() => leader.Master.DisposeAsync().AsTask().GetAwaiter().GetResult());
        leader.App.Logger.LogInformation(
            "Master {Id} listening on http://{Ip}:{Port} with its registry in {WorkDir}; Orleans silo on port {SiloPort}, gateway on {GatewayPort}",
            leader.Master.MasterId, options.Ip, options.Port, options.WorkDir, silo.SiloPort, silo.GatewayPort);
        return leader.App;
    }

    /// <summary>The web host of a leading master; <paramref name="snapshot"/> is a warm copy of the registry
    /// to start from (else it is loaded), <paramref name="ha"/> the election it leads in (null: no HA),
    /// <paramref name="silo"/> the Orleans silo it hosts (null: none).</summary>
    public static async Task<LeaderApp> BuildLeaderAsync(
        string[] args, MasterOptions options, IRegistry registry, Grains.Registry.RegistrySnapshot? snapshot, HighAvailability.HaContext? ha, CancellationToken cancellationToken,
        Cluster.SiloOptions? silo = null)
    {
        var builder = NewBuilder(args, options);
        if (silo is not null)
        {
            builder.UseOrleans(orleans => Cluster.SiloSetup.Configure(orleans, silo, options.Ip, options.WorkDir));
        }

        var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        // Bound before the core starts, so that the agents' SUBSCRIBED can name it. Without one, agents send
        // their usage to the main port.
        var usage = Usage.UsageReceiver.IsSupported ? Usage.UsageReceiver.Bind(options.Ip, options.UsagePort) : null;
        if (usage is not null)
        {
            options = options.WithUsageUrl($"http://{options.Hostname}:{usage.Port}/api/v1/agent/usage");
            app.Lifetime.ApplicationStopping.Register(usage.Dispose);
        }

        MasterCore master;
        try
        {
            master = snapshot is null
                ? await MasterCore.StartAsync(options, registry, TimeProvider.System, loggers, cancellationToken)
                : await MasterCore.StartAsync(options, registry, snapshot, TimeProvider.System, loggers);
        }
        catch
        {
            usage?.Dispose();
            throw;
        }

        if (ha is not null)
        {
            // Between losing the lease and the host noticing, nothing may be served as leader.
            app.Use(async (context, next) =>
            {
                if (ha.Elector.CurrentTerm == options.LeaderTerm)
                {
                    await next(context);
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync("This master is no longer the leader");
            });
        }

        usage?.Start(master, loggers.CreateLogger<Usage.UsageReceiver>());
        MapEndpoints(app, master, ha);
        return new LeaderApp(app, master);
    }

    /// <summary>A web host with the master's Kestrel, body limit and log format, for a leader or a standby.</summary>
    public static WebApplicationBuilder NewBuilder(string[] args, MasterOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder(Flags.Normalize(args));
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Parse(options.Ip), options.Port);
            kestrel.Limits.MaxRequestBodySize = MesosRequest.MaxBodyBytes;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        return builder;
    }

    private static void MapEndpoints(WebApplication app, MasterCore master, HighAvailability.HaContext? ha)
    {
        // A fault in one request must not reach the client as an empty 500: say what failed, keep serving.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = e.StatusCode;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"Bad request: {e.Message}");
            }
            catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
            {
                app.Logger.LogError(e, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"Internal error: {e.Message}");
            }
        });

        // Mesos always says why: 404s and 405s from routing get a plain-text reason too.
        app.UseStatusCodePages(async status =>
        {
            var response = status.HttpContext.Response;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"No endpoint at '{status.HttpContext.Request.Path}'",
                StatusCodes.Status405MethodNotAllowed => $"Method '{status.HttpContext.Request.Method}' is not allowed here",
                var code => $"Request failed with status {code}",
            });
        });

        var metrics = new MasterMetrics(master);
        SchedulerApi.Map(app, master);
        AgentApi.Map(app, master);
        OperatorApi.Map(app, master, metrics, ha);
        LegacyEndpoints.Map(app, master, metrics, ha);
        LegacyCollections.Map(app, master);
        HighAvailability.MembershipEndpoints.Map(app, ha, leading: true);
    }

    /// <summary>The effective flags, as /flags and GET_FLAGS show them.</summary>
    public static SortedDictionary<string, string> FlagsOf(MasterOptions options) => new(StringComparer.Ordinal)
    {
        ["ip"] = options.Ip,
        ["hostname"] = options.Hostname,
        ["port"] = options.Port.ToString(CultureInfo.InvariantCulture),
        ["usage_port"] = options.UsagePort.ToString(CultureInfo.InvariantCulture),
        ["work_dir"] = options.WorkDir,
        ["registry"] = options.Registry,
        ["heartbeat_interval"] = Seconds(options.HeartbeatInterval),
        ["allocation_interval"] = Seconds(options.AllocationInterval),
        ["agent_heartbeat_interval"] = Seconds(options.AgentHeartbeatInterval),
        ["agent_unreachable_timeout"] = Seconds(options.AgentUnreachableTimeout),
        ["offer_timeout"] = options.OfferTimeout is { } timeout ? Seconds(timeout) : string.Empty,
        ["agent_reregister_timeout"] = Seconds(options.AgentReregisterTimeout),
        ["max_completed_tasks_per_framework"] = options.MaxCompletedTasksPerFramework.ToString(CultureInfo.InvariantCulture),
        ["version"] = options.Version,
    };

    public static VersionInfo VersionInfo(MasterOptions options) => new()
    {
        Version = options.Version,
        BuildDate = string.Empty,
        BuildTime = 0,
        BuildUser = "mesos-orleans",
        GitBranch = "main",
    };

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "secs";
}
