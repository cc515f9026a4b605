using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Allocation;

/// <summary>Resources of one agent allocated to one framework under one role. The resources carry
/// allocation_info with that role.</summary>
public sealed record AllocatorOffer(FrameworkId FrameworkId, AgentId AgentId, string Role, ResourceBag Resources);
