using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>Entry points from text and from the wire, and back to the wire.</summary>
public sealed partial class ResourceBag
{
    /// <summary>Parses the agent's --resources value: the text syntax
    /// "cpus:4;mem:1024;ports:[31000-32000];cpus(eng):2;foo:{a,b}" or, when the text starts with '[', a
    /// JSON array of wire Resource objects. "name(role)" is a STATIC reservation to role ("*" or no
    /// parentheses means <paramref name="defaultRole"/>, itself "*" = unreserved by default). Repeated
    /// names add up; zero amounts are dropped.</summary>
    /// <exception cref="ResourceFormatException">Malformed text, a negative, NaN or infinite scalar, an
    /// inverted range, one name used with two value types, an invalid role, or (JSON) something only the
    /// master may create; the message names the bad part.</exception>
    public static ResourceBag Parse(string text, string defaultRole = RoleName.Any)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(defaultRole);
        return Of(ResourceText.Parse(text, defaultRole));
    }

    /// <summary>Reads wire resources in any of Mesos's formats (pre-refinement role + reservation,
    /// post-refinement reservations[], or endpoint with both; a missing role means unreserved) and validates
    /// each as Mesos does. Zero amounts are dropped and equal keys combined.</summary>
    /// <exception cref="ResourceFormatException">A resource is invalid; the message says which (by
    /// position and name) and why.</exception>
    public static ResourceBag FromWire(IEnumerable<Resource>? resources)
    {
        if (resources is null)
        {
            return Empty;
        }

        var position = 0;
        return Of(resources.Select(r => ResourceWire.Read(r, position++)).ToList());
    }

    /// <summary>One wire Resource per entry in the requested format; allocation_info is set whenever the
    /// entry has an allocation role (use <see cref="WithAllocationRole"/>(null) first to strip it).</summary>
    /// <exception cref="InvalidOperationException"><see cref="ResourceFormat.PreRefinement"/> was asked for
    /// resources with a refined reservation (check <see cref="HasRefinedReservations"/>).</exception>
    public List<Resource> ToWire(ResourceFormat format = ResourceFormat.PostRefinement) =>
        _entries.Select(e => ResourceWire.Write(e, format)).ToList();
}
