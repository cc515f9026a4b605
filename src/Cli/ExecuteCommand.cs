using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mesos.Orleans.Client;
using Mesos.Orleans.Client.Offers;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Cli;

/// <summary><c>mesos execute</c>, after Mesos's mesos-execute: registers a one-off framework, runs one
/// command task, prints its status updates and then its sandbox stdout, and exits 0 if it finished.</summary>
public static class ExecuteCommand
{
    public static Command Create()
    {
        var master = new Option<string>("--master") { Description = "The master, host:port or URL", DefaultValueFactory = _ => "127.0.0.1:5050" };
        var name = new Option<string>("--name") { Description = "The task's name and ID", DefaultValueFactory = _ => $"mesos-execute-{Guid.NewGuid():N}"[..22] };
        var command = new Option<string>("--command") { Description = "The shell command to run", Required = true };
        var resources = new Option<string>("--resources") { Description = "What the task needs, Mesos syntax", DefaultValueFactory = _ => "cpus:0.1;mem:32" };
        var role = new Option<string>("--role") { Description = "The role to run under", DefaultValueFactory = _ => "*" };
        var execute = new Command("execute", "Run one command task on the cluster and print its output") { master, name, command, resources, role };
        execute.SetAction((result, cancellationToken) => RunAsync(
            MasterUri(result.GetValue(master)!),
            result.GetValue(name)!,
            result.GetValue(command)!,
            ResourceBag.Parse(result.GetValue(resources)!),
            result.GetValue(role)!,
            cancellationToken));
        return execute;
    }

    public static Uri MasterUri(string master) => new(master.Contains("://", StringComparison.Ordinal) ? master : "http://" + master);

    private static async Task<int> RunAsync(Uri master, string taskName, string command, ResourceBag needs, string role, CancellationToken cancellationToken)
    {
        var framework = new FrameworkInfo { User = System.Environment.UserName, Name = "mesos-execute instance", Role = role };
        using var client = new MesosClient(new MesosClientOptions { Masters = { master } });
        var scheduler = client.CreateScheduler();
        var taskId = new TaskId(taskName);
        Offer? launchedOn = null;
        await foreach (var @event in scheduler.SubscribeAsync(framework, cancellationToken).ConfigureAwait(false))
        {
            switch (@event)
            {
                case Subscribed { IsResubscription: false } subscribed:
                    Console.WriteLine($"Subscribed with ID {subscribed.FrameworkId}");
                    break;
                case OffersReceived offers:
                    foreach (var offer in offers.Offers)
                    {
                        var packer = new OfferPacker(offer);
                        if (launchedOn is null && packer.TryAddCommandTask(taskName, command, needs) is not null)
                        {
                            launchedOn = offer;
                            Console.WriteLine($"Submitted task '{taskName}' to agent '{offer.AgentId}'");
                        }

                        await scheduler.LaunchOrDeclineAsync(packer, new Filters { RefuseSeconds = 60 }, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case TaskStatusUpdated { Status: var status } when status.TaskId == taskId:
                    Console.WriteLine($"Received status update {status.State} for task '{taskName}'" + (status.Message is { } m ? $"\n  message: '{m}'" : string.Empty));
                    if (status.State is { } state && TaskStates.IsTerminal(state))
                    {
                        await scheduler.AcknowledgeAsync(status, cancellationToken).ConfigureAwait(false);
                        if (launchedOn is not null)
                        {
                            await PrintSandboxAsync(launchedOn, scheduler.FrameworkId!, taskId, cancellationToken).ConfigureAwait(false);
                        }

                        await scheduler.TearDownAsync(cancellationToken).ConfigureAwait(false);
                        return state == TaskState.TASK_FINISHED ? 0 : 1;
                    }

                    break;
                case ErrorReceived error:
                    await Console.Error.WriteLineAsync($"The master reported an error: {error.Message}").ConfigureAwait(false);
                    return 1;
                case Disconnected disconnected:
                    await Console.Error.WriteLineAsync($"Disconnected ({disconnected.Reason}); subscribing again in {disconnected.RetryIn.TotalSeconds:0.#} s").ConfigureAwait(false);
                    break;
                default:
                    break;
            }
        }

        return 1;
    }

    /// <summary>Finds the task's sandbox through the agent's state and prints its stdout.</summary>
    private static async Task PrintSandboxAsync(Offer offer, FrameworkId frameworkId, TaskId taskId, CancellationToken cancellationToken)
    {
        var address = offer.Url?.Address;
        if (address is null)
        {
            return;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var agent = new Uri($"http://{address.Ip ?? address.Hostname}:{address.Port}");
        var state = await http.GetFromJsonAsync<JsonObject>(new Uri(agent, "/state"), cancellationToken).ConfigureAwait(false);
        var directory = state?["tasks"]?.AsArray().Concat(state["completed_tasks"]?.AsArray() ?? [])
            .FirstOrDefault(t => t?["id"]?.GetValue<string>() == taskId.Value && t["framework_id"]?.GetValue<string>() == frameworkId.Value)?["directory"]?.GetValue<string>();
        if (directory is null)
        {
            return;
        }

        var stdout = await http.GetFromJsonAsync<JsonObject>(
            new Uri(agent, $"/files/read?path={Uri.EscapeDataString(directory + "/stdout")}&offset=0"), cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"Sandbox: {directory}");
        Console.WriteLine("--- stdout ---");
        Console.Write(stdout?["data"]?.GetValue<string>());
    }
}
