using Mesos.Orleans.Grains.Master;
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

    /// <summary>A single master (embedded registry: SQLite or in memory) hosting the Orleans silo: the master
    /// runs in its grain (<see cref="MasterGrain"/>), activated before the HTTP port opens.</summary>
    public static Task<WebApplication> BuildAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = ReadOptions(Flags.FromArgs(args));
        if (options.Registry is not ("sqlite" or "in_memory"))
        {
            throw new ArgumentException($"--registry must be 'sqlite' (the default), 'in_memory' or 'postgres', not '{options.Registry}'");
        }

        var silo = Cluster.SiloOptions.Read(Flags.FromArgs(args));
        if (silo.Cluster != Cluster.SiloOptions.Embedded)
        {
            // The master's state still lives in one process's core, which a second silo could not share.
            throw new ArgumentException("--cluster postgres is not served yet: the master's frameworks, agents and roles are not grains yet; run several masters with --registry postgres");
        }

        var builder = NewBuilder(args, options);

        // Bound before the core starts, so that the agents' SUBSCRIBED can name it. Without one, agents send
        // their usage to the main port.
        var usage = Usage.UsageReceiver.IsSupported ? Usage.UsageReceiver.Bind(options.Ip, options.UsagePort) : null;
        var coreOptions = usage is null ? options : options.WithUsageUrl($"http://{options.Hostname}:{usage.Port}/api/v1/agent/usage");
        builder.UseOrleans(orleans => Cluster.SiloSetup.Configure(orleans, silo, options.Ip, options.WorkDir));
        builder.Services.AddSingleton<LocalMaster>();
        builder.Services.AddSingleton<IMasterCoreSource>(services => new Cluster.RegistryMasterSource(coreOptions, services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService<Cluster.MasterKeeper>();
        var app = builder.Build();

        var local = app.Services.GetRequiredService<LocalMaster>();
        if (usage is not null)
        {
            usage.Start(local, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<Usage.UsageReceiver>());
            app.Lifetime.ApplicationStopping.Register(usage.Dispose);
        }

        MapEndpoints(app, app.Services.GetRequiredService<IGrainFactory>().GetGrain<IMasterGrain>(MasterGrain.Key), local, ha: null);
        app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
            "Master listening on http://{Ip}:{Port} with its registry in {WorkDir}; Orleans silo on port {SiloPort}, gateway on {GatewayPort}",
            options.Ip, options.Port, options.WorkDir, silo.SiloPort, silo.GatewayPort));
        return Task.FromResult(app);
    }

    /// <summary>The web host of a leading master of the lease-based HA; <paramref name="snapshot"/> is a warm
    /// copy of the registry to start from (else it is loaded), <paramref name="ha"/> the election it leads in
    /// (null: a rehearsal).</summary>
    public static async Task<LeaderApp> BuildLeaderAsync(
        string[] args, MasterOptions options, IRegistry registry, Grains.Registry.RegistrySnapshot? snapshot, HighAvailability.HaContext? ha, CancellationToken cancellationToken)
    {
        var app = NewBuilder(args, options).Build();
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

        var local = new LocalMaster();
        local.Attach(master);
        usage?.Start(local, loggers.CreateLogger<Usage.UsageReceiver>());
        MapEndpoints(app, new MasterEndpoint(master), local, ha);
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

    private static void MapEndpoints(WebApplication app, IMasterGrain master, LocalMaster local, HighAvailability.HaContext? ha)
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
        AgentApi.Map(app, master, local);
        OperatorApi.Map(app, master, metrics, ha);
        LegacyEndpoints.Map(app, master, metrics, ha);
        LegacyCollections.Map(app, master);
        HighAvailability.MembershipEndpoints.Map(app, ha, leading: true);
    }
}
