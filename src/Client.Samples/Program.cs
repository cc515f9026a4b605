using System.Globalization;
using Mesos.Orleans.Client;
using Mesos.Orleans.Client.Samples;

// mesos-samples batch   --master HOST:PORT[,HOST:PORT...] --command CMD --count N
// mesos-samples service --master HOST:PORT[,HOST:PORT...] --command CMD --instances N
if (args.Length == 0 || args[0] is not ("batch" or "service"))
{
    await Console.Error.WriteLineAsync("usage: mesos-samples batch|service --master HOST:PORT[,...] --command CMD [--count N | --instances N]");
    return 2;
}

var options = Enumerable.Range(0, (args.Length - 1) / 2).ToDictionary(i => args[1 + (2 * i)], i => args[2 + (2 * i)], StringComparer.Ordinal);
using var client = MesosClient.Create(options.GetValueOrDefault("--master", "127.0.0.1:5050").Split(','));
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
var command = options.GetValueOrDefault("--command", "echo hello");
if (args[0] == "batch")
{
    var result = await new BatchFramework(client, command, int.Parse(options.GetValueOrDefault("--count", "3"), CultureInfo.InvariantCulture)).RunAsync(stop.Token);
    Console.WriteLine($"{result.Finished} finished, {result.Failed} failed on {result.Agents.Count} agents");
    return result.Failed == 0 ? 0 : 1;
}

var service = new ServiceFramework(client, command, int.Parse(options.GetValueOrDefault("--instances", "2"), CultureInfo.InvariantCulture));
try
{
    await service.RunAsync(stop.Token);
}
catch (OperationCanceledException)
{
    Console.WriteLine($"Stopped with {service.Running.Count} running after {service.Launched} launches");
}

return 0;
