using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Client.Offers;

/// <summary>Answers to offers built with <see cref="OfferPacker"/>.</summary>
public static class SchedulerExtensions
{
    /// <summary>Launches the packer's tasks on its offer, or declines the offer when no task was placed.</summary>
    /// <param name="scheduler">The scheduler.</param>
    /// <param name="packer">The offer and the tasks placed on it.</param>
    /// <param name="filters">The refusal for what is left unused; Mesos's default (5 s) when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static Task LaunchOrDeclineAsync(this IMesosScheduler scheduler, OfferPacker packer, Filters? filters = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(packer);
        return packer.Tasks.Count == 0
            ? scheduler.DeclineAsync([packer.Offer.Id!], filters, cancellationToken)
            : scheduler.LaunchAsync(packer.Offer, packer.Tasks, filters, cancellationToken);
    }

    /// <summary>Declines offers, refusing their resources for <paramref name="refuseFor"/>.</summary>
    /// <param name="scheduler">The scheduler.</param>
    /// <param name="offers">The offers.</param>
    /// <param name="refuseFor">How long the master should not offer these resources again.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static Task DeclineAsync(this IMesosScheduler scheduler, IEnumerable<Offer> offers, TimeSpan refuseFor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(offers);
        return scheduler.DeclineAsync([.. offers.Select(o => o.Id!)], new Filters { RefuseSeconds = refuseFor.TotalSeconds }, cancellationToken);
    }
}
