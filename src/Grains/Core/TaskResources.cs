using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

/// <summary>A task's (or executor's) resources as the master accounts them: allocated to the offer's role.</summary>
/// <remarks>As in Mesos, a MULTI_ROLE framework must say which role each resource is allocated to
/// (<c>allocation_info</c>, which it finds in its offers and usually copies verbatim); for other frameworks the
/// master fills the offer's role in where it is missing. Either way, every resource must then be allocated
/// to that one role.</remarks>
internal static class TaskResources
{
    /// <summary>The resources with their allocation role, or the reason they are invalid.</summary>
    public static string? Read(List<Resource>? wire, bool multiRole, string role, out ResourceBag resources)
    {
        resources = ResourceBag.Empty;
        ResourceBag parsed;
        try
        {
            parsed = ResourceBag.FromWire(wire);
        }
        catch (ResourceFormatException e)
        {
            return $"Task uses invalid resources: {e.Message}";
        }

        if (!multiRole)
        {
            parsed = ResourceBag.Of(parsed.Entries.Select(e => e.Key.AllocationRole is null ? new ResourceEntry(e.Key.WithAllocationRole(role), e.Value) : e));
        }

        foreach (var entry in parsed.Entries)
        {
            if (entry.Key.AllocationRole is null)
            {
                return $"Invalid resources: resource '{entry.Key.Name}' is not allocated to a role: a MULTI_ROLE framework must set 'allocation_info' (copy it from the offer)";
            }

            if (!string.Equals(entry.Key.AllocationRole, role, StringComparison.Ordinal))
            {
                return $"Invalid resources: resource '{entry.Key.Name}' is allocated to role '{entry.Key.AllocationRole}' but the offer is allocated to role '{role}'";
            }
        }

        resources = parsed;
        return null;
    }
}
