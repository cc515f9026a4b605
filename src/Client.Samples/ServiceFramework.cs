using System.Collections.Concurrent;
using System.Globalization;
using Mesos.Orleans.Client.Offers;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Client.Samples;

/// <summary>A service framework, Marathon's core loop: keeps <c>instances</c> copies of a shell command
/// running, each with one port (<c>$PORT0</c>), and starts a replacement for each one that ends. When all
/// are placed it suppresses offers; a loss revives them. Runs until cancelled.</summary>
public sealed class ServiceFramework(IMesosClient client, string command, int instances, string resources = "cpus:0.1;mem:32")
{
    private readonly ConcurrentDictionary<TaskId, TaskState> _tasks = new();
    private int _generation;

    /// <summary>The framework's ID once subscribed.</summary>
    public FrameworkId? FrameworkId { get; private set; }

    /// <summary>The instances the master reports TASK_RUNNING.</summary>
    public IReadOnlyList<TaskId> Running => [.. _tasks.Where(t => t.Value == TaskState.TASK_RUNNING).Select(t => t.Key)];

    /// <summary>How many instances were started in all, replacements included.</summary>
    public int Launched => Volatile.Read(ref _generation);

    /// <summary>Runs the service until <paramref name="cancellationToken"/> ends it.</summary>
    /// <param name="cancellationToken">Stops the framework's loop (its tasks keep running for its failover timeout).</param>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var needs = ResourceBag.Parse(resources);
        var scheduler = client.CreateScheduler();
        var framework = new FrameworkInfo { User = Environment.UserName, Name = $"service: {command}", FailoverTimeout = 3600 };
        var suppressed = false;
        await foreach (var @event in scheduler.SubscribeAsync(framework, cancellationToken).ConfigureAwait(false))
        {
            switch (@event)
            {
                case Subscribed subscribed:
                    FrameworkId = subscribed.FrameworkId;
                    suppressed = false;
                    break;
                case OffersReceived offers:
                    foreach (var offer in offers.Offers)
                    {
                        var packer = new OfferPacker(offer);
                        while (_tasks.Count < instances && packer.TryAddCommandTask(NextTaskId(), command, needs, ports: 1) is { } task)
                        {
                            _tasks[task.TaskId!] = TaskState.TASK_STAGING;
                        }

                        if (!await TryAsync(() => scheduler.LaunchOrDeclineAsync(packer, new Filters { RefuseSeconds = 5 }, cancellationToken)).ConfigureAwait(false))
                        {
                            foreach (var lost in packer.Tasks)
                            {
                                _tasks.TryRemove(lost.TaskId!, out _);
                            }
                        }
                    }

                    if (_tasks.Count >= instances && !suppressed)
                    {
                        suppressed = await TryAsync(() => scheduler.SuppressAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
                    }

                    break;
                case TaskStatusUpdated { Status: { TaskId: { } id, State: { } state } }:
                    if (TaskStates.IsTerminal(state) || state is TaskState.TASK_UNKNOWN)
                    {
                        // The instance is gone: forget it so the next offer starts a replacement.
                        if (_tasks.TryRemove(id, out _) && suppressed)
                        {
                            suppressed = !await TryAsync(() => scheduler.ReviveAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
                        }
                    }
                    else
                    {
                        _tasks[id] = state;
                    }

                    break;
                case ErrorReceived error:
                    throw new InvalidOperationException($"The master ended the framework: {error.Message}");
                default:
                    break;
            }
        }
    }

    private string NextTaskId() => "instance-" + Interlocked.Increment(ref _generation).ToString(CultureInfo.InvariantCulture);

    /// <summary>Sends a call; false when the scheduler is between subscriptions (the next one resumes).</summary>
    private static async Task<bool> TryAsync(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
            return true;
        }
        catch (MesosConnectionException)
        {
            return false;
        }
    }
}
