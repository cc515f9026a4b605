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
        };
    }

    public static async Task<WebApplication> BuildAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(Flags.Normalize(args));
        var options = ReadOptions(new Flags(builder.Configuration));
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Parse(options.Ip), options.Port);
            kestrel.Limits.MaxRequestBodySize = MesosRequest.MaxBodyBytes;
        });
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });

        var app = builder.Build();
        IRegistry registry = options.Registry switch
        {
            "in_memory" => new InMemoryRegistry(),
            "sqlite" => await SqliteRegistry.OpenAsync(Path.Combine(options.WorkDir, "registry.db"), cancellationToken),
            var other => throw new ArgumentException($"--registry must be 'sqlite' (the default) or 'in_memory', not '{other}'"),
        };
        var master = await MasterCore.StartAsync(options, registry, TimeProvider.System, app.Services.GetRequiredService<ILoggerFactory>(), cancellationToken);
        app.Lifetime.ApplicationStopped.Register(() => master.DisposeAsync().AsTask().GetAwaiter().GetResult());
        MapEndpoints(app, master);
        app.Logger.LogInformation(
            "Master {Id} listening on http://{Ip}:{Port} with its registry in {WorkDir}", master.MasterId, options.Ip, options.Port, options.WorkDir);
        return app;
    }

    private static void MapEndpoints(WebApplication app, MasterCore master)
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
        OperatorApi.Map(app, master, metrics);
        LegacyEndpoints.Map(app, master, metrics);
        LegacyCollections.Map(app, master);
    }

    /// <summary>The effective flags, as /flags and GET_FLAGS show them.</summary>
    public static SortedDictionary<string, string> FlagsOf(MasterOptions options) => new(StringComparer.Ordinal)
    {
        ["ip"] = options.Ip,
        ["hostname"] = options.Hostname,
        ["port"] = options.Port.ToString(CultureInfo.InvariantCulture),
        ["work_dir"] = options.WorkDir,
        ["registry"] = options.Registry,
        ["heartbeat_interval"] = Seconds(options.HeartbeatInterval),
        ["allocation_interval"] = Seconds(options.AllocationInterval),
        ["agent_heartbeat_interval"] = Seconds(options.AgentHeartbeatInterval),
        ["agent_unreachable_timeout"] = Seconds(options.AgentUnreachableTimeout),
        ["offer_timeout"] = options.OfferTimeout is { } timeout ? Seconds(timeout) : string.Empty,
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
