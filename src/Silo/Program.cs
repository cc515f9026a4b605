using Mesos.Orleans.AgentHost;
using Mesos.Orleans.Silo;

// mesos-master [--ip 127.0.0.1] [--port 5050] [--work_dir DIR] [--dev] [--cluster postgres --cluster_connection CS]
// --dev also runs one agent in this process (on port 5051), for a single-node cluster from one command.
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
