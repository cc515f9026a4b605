using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Client;

/// <summary>Builders for the scheduler calls frameworks send most: launching command tasks on an offer and
/// declining it.</summary>
public static class Calls
{
    /// <summary>An ACCEPT of one offer that launches the given tasks.</summary>
    public static Call Launch(Offer offer, params IEnumerable<TaskInfo> tasks)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return new Call
        {
            Type = CallType.ACCEPT,
            Accept = new AcceptCall
            {
                OfferIds = [offer.Id!],
                Operations = [new OfferOperation { Type = OperationType.LAUNCH, Launch = new LaunchOperation { TaskInfos = [.. tasks] } }],
            },
        };
    }

    /// <summary>A DECLINE of one offer, refusing its resources for <paramref name="refuseSeconds"/>.</summary>
    public static Call Decline(Offer offer, double refuseSeconds = Filters.DefaultRefuseSeconds)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return new Call
        {
            Type = CallType.DECLINE,
            Decline = new DeclineCall { OfferIds = [offer.Id!], Filters = new Filters { RefuseSeconds = refuseSeconds } },
        };
    }

    /// <summary>A shell command task on the offer's agent, using <paramref name="resources"/> (Mesos syntax,
    /// e.g. "cpus:0.1;mem:32").</summary>
    public static TaskInfo CommandTask(Offer offer, string taskId, string command, string resources = "cpus:0.1;mem:32") =>
        CommandTask(offer, taskId, command, ResourceBag.Parse(resources));

    /// <summary>A shell command task on the offer's agent, using <paramref name="resources"/>, allocated to the
    /// offer's role when the offer names one (as Mesos requires of MULTI_ROLE frameworks).</summary>
    public static TaskInfo CommandTask(Offer offer, string taskId, string command, ResourceBag resources)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(resources);
        return new TaskInfo
        {
            Name = taskId,
            TaskId = new TaskId(taskId),
            AgentId = offer.AgentId,
            Resources = resources.WithAllocationRole(offer.AllocationInfo?.Role).ToWire(ResourceFormat.PreRefinement),
            Command = new CommandInfo { Value = command },
        };
    }
}
