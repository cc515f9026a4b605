using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Entities;

/// <summary>An outstanding offer: resources of one agent, allocated to one framework under one role.</summary>
public sealed record OfferEntity(OfferId Id, FrameworkId FrameworkId, AgentId AgentId, ResourceBag Resources, string Role);
