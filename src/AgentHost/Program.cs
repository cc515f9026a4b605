using Mesos.Orleans.AgentHost;

// mesos-agent --master http://127.0.0.1:5050 [--ip 127.0.0.1] [--port 5051] [--work_dir DIR]
//             [--resources "cpus:2;mem:1024;ports:[31000-32000]"] [--attributes "rack:r1"]
await AgentApp.Build(args).RunAsync();
