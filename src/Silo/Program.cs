using Mesos.Orleans.AgentHost;
using System.Runtime.InteropServices;
using Mesos.Orleans.Silo;
using Mesos.Orleans.Silo.HighAvailability;

// mesos-master [--ip 127.0.0.1] [--port 5050] [--work_dir DIR] [--dev]
// --dev also runs one agent in this process (on port 5051), for a single-node cluster from one command.
var startup = Flags.FromArgs(args);
if (startup.Get("registry") == "postgres")
{
    // Several masters against one PostgreSQL: elect a leader, stand by otherwise. SIGTERM and Ctrl+C
    // release the lease on the way out, so a standby takes over without waiting for it to expire.
    using var stopping = new CancellationTokenSource();
    using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        stopping.Cancel();
    });
    using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
    {
        context.Cancel = true;
        stopping.Cancel();
    });
    await HaMaster.RunAsync(args, stopping.Token);
    return;
}

var master = await MasterHost.BuildAsync(args, CancellationToken.None);
var flags = new Flags(master.Configuration);
if (!flags.GetBool("dev"))
{
    await master.RunAsync();
    return;
}

var masterOptions = MasterHost.ReadOptions(flags);
var agent = AgentApp.Build([
    "--master", $"http://{masterOptions.Ip}:{masterOptions.Port}",
    "--ip", masterOptions.Ip,
    "--port", flags.Get("agent_port", "5051"),
    "--work_dir", Path.Combine(masterOptions.WorkDir, "agent"),
    .. flags.Get("resources") is { } resources ? new[] { "--resources", resources } : [],
]);
await Task.WhenAll(master.RunAsync(), agent.RunAsync());
