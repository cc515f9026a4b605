using System.Text.Json.Nodes;
using Mesos.Orleans.AgentHost.Connection;
using Mesos.Orleans.AgentHost.Files;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Resources;

namespace Mesos.Orleans.AgentHost;

/// <summary>Builds the agent's web host: its own endpoints on --port, and the connection to the master.</summary>
public static class AgentApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(Flags.Normalize(args));
        var options = AgentOptions.Read(new Flags(builder.Configuration));

        // Every task runs under mesos-executor: without it the agent could run nothing, so it does not start.
        _ = Tasks.ExecutorBinary.Locate(options.LauncherDir);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Parse(options.Ip), options.Port));
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AgentDaemon>();
        builder.Services.AddSingleton<MasterConnection>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MasterConnection>());
        builder.Services.AddSingleton<Usage.UsageMonitor>();
        builder.Services.AddHostedService<Usage.UsageReporter>();

        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok());
        app.MapGet("/state", (AgentDaemon agent, MasterConnection connection) => Results.Json(State(agent, connection)));
        app.MapGet("/slave(1)/state", (AgentDaemon agent, MasterConnection connection) => Results.Json(State(agent, connection)));
        app.MapGet("/metrics/snapshot", (AgentDaemon agent, MasterConnection connection) => Results.Json(Metrics.AgentMetrics.Snapshot(agent, connection)));
        app.MapGet("/metrics", (AgentDaemon agent, MasterConnection connection) =>
            Results.Text(Metrics.AgentMetrics.Prometheus(Metrics.AgentMetrics.Snapshot(agent, connection)), "text/plain; version=0.0.4; charset=utf-8"));
        FilesEndpoints.Map(app, options);
        Usage.MonitorEndpoints.Map(app);
        return app;
    }

    private static JsonObject State(AgentDaemon agent, MasterConnection connection)
    {
        static JsonArray TasksJson(IEnumerable<Tasks.RunningTask> tasks) => new([.. tasks.Select(task => new JsonObject
        {
            ["id"] = task.Id.Value,
            ["name"] = task.Info.Name,
            ["framework_id"] = task.FrameworkId.Value,
            ["executor_id"] = task.ExecutorId.Value,
            ["state"] = task.State.ToString(),
            ["directory"] = task.Sandbox,
        })]);

        return new JsonObject
        {
            ["id"] = agent.AgentId?.Value,
            ["hostname"] = agent.Options.Hostname,
            ["master_hostname"] = agent.Options.Master.Host,
            ["connected"] = connection.Connected,
            ["resources"] = JsonNode.Parse(MesosJson.Serialize(agent.Resources.ToWire(ResourceFormat.Endpoint))),
            ["tasks"] = TasksJson(agent.Tasks),
            ["completed_tasks"] = TasksJson(agent.CompletedTasks),
            ["pending_status_updates"] = agent.Updates.PendingCount,
        };
    }
}
