using Mesos.Orleans.Interfaces.Resources;

namespace Mesos.Orleans.Grains.Allocation;

/// <summary>A refusal from a DECLINE (or the unused part of an ACCEPT): the framework does not want these
/// resources of this agent, for this role, until <see cref="Expires"/>. As in Mesos, an offer is refused
/// only if it is contained in what was declined; anything new on the agent is offered again.</summary>
public sealed record OfferFilter(int FrameworkIndex, string Role, ResourceBag Resources, DateTimeOffset Expires);
