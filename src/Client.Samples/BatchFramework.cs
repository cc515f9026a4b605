using Mesos.Orleans.Client.Offers;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Client.Samples;

/// <summary>How a batch ended: the runs that finished and those that did not.</summary>
/// <param name="FrameworkId">The framework the runs belonged to.</param>
/// <param name="Finished">Runs that ended TASK_FINISHED.</param>
/// <param name="Failed">Runs that ended in any other terminal state.</param>
/// <param name="Agents">The agents the runs were placed on.</param>
public sealed record BatchResult(FrameworkId FrameworkId, int Finished, int Failed, IReadOnlySet<AgentId> Agents);

/// <summary>A framework that runs a shell command <c>count</c> times across the cluster, as many at once as
/// the offers hold, and returns when every run has ended (then tears itself down).</summary>
public sealed class BatchFramework(IMesosClient client, string command, int count, string resources = "cpus:0.1;mem:32")
{
    /// <summary>Runs the batch.</summary>
    /// <param name="cancellationToken">Abandons the batch (the framework stays registered until its failover timeout).</param>
    /// <returns>How the runs ended.</returns>
    public async Task<BatchResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var needs = ResourceBag.Parse(resources);
        var scheduler = client.CreateScheduler();
        var framework = new FrameworkInfo { User = Environment.UserName, Name = $"batch: {command}", FailoverTimeout = 300 };
        var launched = 0;
        var (finished, failed) = (0, 0);
        var agents = new HashSet<AgentId>();
        await foreach (var @event in scheduler.SubscribeAsync(framework, cancellationToken).ConfigureAwait(false))
        {
            switch (@event)
            {
                case OffersReceived offers:
                    foreach (var offer in offers.Offers)
                    {
                        var packer = new OfferPacker(offer);
                        while (launched < count && packer.TryAddCommandTask($"run-{launched}", command, needs) is not null)
                        {
                            launched++;
                            agents.Add(offer.AgentId!);
                        }

                        if (!await AnswerAsync(scheduler, packer, launched >= count, cancellationToken).ConfigureAwait(false))
                        {
                            launched -= packer.Tasks.Count;
                        }
                    }

                    break;
                case TaskStatusUpdated { Status: { State: { } state } status } when TaskStates.IsTerminal(state):
                    if (state == TaskState.TASK_FINISHED)
                    {
                        finished++;
                    }
                    else
                    {
                        failed++;
                    }

                    if (finished + failed == count)
                    {
                        await scheduler.AcknowledgeAsync(status, cancellationToken).ConfigureAwait(false);
                        await scheduler.TearDownAsync(cancellationToken).ConfigureAwait(false);
                        return new BatchResult(scheduler.FrameworkId!, finished, failed, agents);
                    }

                    break;
                case ErrorReceived error:
                    throw new InvalidOperationException($"The master ended the framework: {error.Message}");
                default:
                    break;
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>Launches what was placed; once every run is launched, what is left is refused for a while so
    /// the master offers it to others. False when the scheduler was between subscriptions: the offer died
    /// with the old one and its runs must be placed again.</summary>
    private static async Task<bool> AnswerAsync(IMesosScheduler scheduler, OfferPacker packer, bool allLaunched, CancellationToken cancellationToken)
    {
        try
        {
            await scheduler.LaunchOrDeclineAsync(packer, new Filters { RefuseSeconds = allLaunched ? 30 : 1 }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MesosConnectionException)
        {
            return false;
        }
    }
}
