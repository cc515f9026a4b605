using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.AgentHost;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Storage;
using Mesos.Orleans.Grains.Storage.Postgres;
using System.Globalization;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Silo.Http;
using Mesos.Orleans.Silo.Metrics;
using Microsoft.Extensions.Logging.Console;
using Orleans.Storage;

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

    /// <summary>A master: this process's Orleans silo and its HTTP endpoints. Embedded (the default) it is the
    /// only silo, with its grains' state in SQLite (or in memory); with <c>--cluster postgres</c> it joins the
    /// silos on that database, which share one master grain and the grains' state. Either way the master runs in its
    /// grain (<see cref="MasterGrain"/>), activated before this silo's HTTP port opens.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args, CancellationToken cancellationToken)
    {
        var flags = Flags.FromArgs(args);
        var silo = Cluster.SiloOptions.Read(flags);
        var options = ReadOptions(flags);
        Npgsql.NpgsqlDataSource? database = null;
        if (silo.Cluster == Cluster.SiloOptions.Postgres)
        {
            options.Registry = "postgres";

            // Every silo applies the migrations (idempotent, under an advisory lock) before Orleans reads its
            // queries from them.
            database = PostgresConnections.Bounded(silo.ConnectionString!);
            await PostgresSchema.MigrateAsync(database, cancellationToken);
        }
        else if (options.Registry is not ("sqlite" or MasterOptions.InMemoryRegistry))
        {
            throw new ArgumentException($"--registry must be 'sqlite' (the default) or 'in_memory', not '{options.Registry}'; several silos share their records with --cluster postgres");
        }

        var builder = NewBuilder(args, options);

        // Bound before the core starts, so that the agents' SUBSCRIBED can name it. Without one, agents send
        // their usage to the main port.
        var usage = Usage.UsageReceiver.IsSupported ? Usage.UsageReceiver.Bind(options.Ip, options.UsagePort) : null;
        var coreOptions = usage is null ? options : options.WithUsageUrl($"http://{options.Hostname}:{usage.Port}/api/v1/agent/usage");
        builder.UseOrleans(orleans => Cluster.SiloSetup.Configure(orleans, silo, options.Ip, options.WorkDir, inMemory: options.Registry == MasterOptions.InMemoryRegistry));
        builder.Services.AddSingleton<LocalMaster>();
        builder.Services.AddSingleton(services => new MasterReachability(services.GetRequiredService<LocalMaster>(), TimeProvider.System));
        builder.Services.AddSingleton<IFailoverDeadlines, Grains.Frameworks.GrainFailoverDeadlines>();
        builder.Services.AddSingleton<IGrainStateCatalog>(services => database is null
            ? new SqliteGrainStateCatalog(Cluster.SiloSetup.EmbeddedDatabase(options.WorkDir), services.GetRequiredService<IGrainStorageSerializer>())
            : new PostgresGrainStateCatalog(database, Cluster.SiloSetup.ServiceId, services.GetRequiredService<IGrainStorageSerializer>()));
        builder.Services.AddSingleton<IMasterCoreSource>(services => new Cluster.GrainMasterSource(
            coreOptions,
            services.GetRequiredService<IGrainFactory>(),
            services.GetRequiredService<IGrainStateCatalog>(),
            services.GetRequiredService<IFailoverDeadlines>(),
            services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService<Cluster.MasterKeeper>();
        builder.Services.AddSingleton<Cluster.SiloDeathWatch>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Cluster.SiloDeathWatch>());
        var app = builder.Build();
        if (database is not null)
        {
            app.Lifetime.ApplicationStopped.Register(database.Dispose);
        }

        var local = app.Services.GetRequiredService<LocalMaster>();
        if (usage is not null)
        {
            usage.Start(local, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<Usage.UsageReceiver>());
            app.Lifetime.ApplicationStopping.Register(usage.Dispose);
        }

        MapEndpoints(app, new MasterAccess(local, app.Services.GetRequiredService<IGrainFactory>()), local, app.Services.GetRequiredService<MasterReachability>());
        app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
            "Master silo listening on http://{Ip}:{Port} ({Cluster}, registry {Registry}); Orleans silo on port {SiloPort}, gateway on {GatewayPort}",
            options.Ip, options.Port, silo.Cluster, options.Registry, silo.SiloPort, silo.GatewayPort));
        return app;
    }

    private static async Task WriteUnavailableAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("The master is unavailable; try again");
    }

    /// <summary>A web host with the master's Kestrel, body limit and log format.</summary>
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

        // A console that cannot keep up (a slow reader of the pipe, a failover's burst of warnings) must not stall
        // the threads that log: the console logger's default waits when its queue is full, and every request
        // and timer of the silo then waits with it. Lines past the queue are dropped and the count is written.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite);
        return builder;
    }

    private static void MapEndpoints(WebApplication app, MasterAccess master, LocalMaster local, MasterReachability reachability)
    {
        // A fault in one request must not reach the client as an empty 500: say what failed, keep serving.
        app.Use(async (context, next) =>
        {
            if (reachability.ShouldRefuse && context.Request.Path.StartsWithSegments("/api/v1"))
            {
                await WriteUnavailableAsync(context);
                return;
            }

            try
            {
                await next(context);

                // An operator read answered through another silo's master: it is reachable again.
                if (context.Response.StatusCode < StatusCodes.Status500InternalServerError && context.Request.Path.StartsWithSegments("/master"))
                {
                    reachability.Succeeded();
                }
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = e.StatusCode;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"Bad request: {e.Message}");
            }
            catch (Exception e) when (e is OrleansException or TimeoutException && !context.Response.HasStarted)
            {
                // The master's activation is out of reach (its silo just died, or it is coming back on another):
                // as Mesos answers without a leader. During a failover every client meets this at once: one line
                // a window, not a stack trace a request.
                if (reachability.Failed())
                {
                    app.Logger.LogWarning(
                        "Request {Method} {Path}: the master is unavailable ({Error}); API calls are refused for {Window} unless it comes back here",
                        context.Request.Method,
                        context.Request.Path,
                        e.GetType().Name,
                        MasterReachability.Window);
                }

                context.Response.Clear();
                await WriteUnavailableAsync(context);
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
        OperatorApi.Map(app, master, metrics);
        LegacyEndpoints.Map(app, master, metrics);
        LegacyCollections.Map(app, master);
    }
}
