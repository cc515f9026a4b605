using Mesos.Orleans.AgentHost;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Silo.Http;

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
            HeartbeatInterval = flags.GetSeconds("heartbeat_interval", defaults.HeartbeatInterval),
            AllocationInterval = flags.GetSeconds("allocation_interval", defaults.AllocationInterval),
            AgentHeartbeatInterval = flags.GetSeconds("agent_ping_timeout", defaults.AgentHeartbeatInterval),
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
        IRegistry registry = new Flags(builder.Configuration).Get("registry", "sqlite") switch
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
        SchedulerApi.Map(app, master);
        AgentApi.Map(app, master);
        LegacyEndpoints.Map(app, master);
    }
}
