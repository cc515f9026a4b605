using Mesos.Orleans.AgentHost;

// mesos-agent --master http://127.0.0.1:5050 [--ip 127.0.0.1] [--port 5051] [--work_dir DIR]
//             [--resources "cpus:2;mem:1024;ports:[31000-32000]"] [--attributes "rack:r1"]
//             [--launcher_dir DIR] [--prestarted_executors 2] [--docker_registry DIR]
try
{
    await AgentApp.Build(args).RunAsync();
    return 0;
}
catch (InvalidOperationException e) when (e.Message.Contains(Mesos.Orleans.AgentHost.Tasks.ExecutorBinary.Name, StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync($"mesos-agent: {e.Message}");
    return 1;
}
