using System.Collections.Immutable;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>One level of a reservation stack: who the resources are reserved for and how. STATIC levels
/// come from the agent's --resources flag, DYNAMIC ones from RESERVE operations. Two reservations are the
/// same (so their resources combine) only when type, role, principal and labels all match; labels are
/// kept sorted so that their order on the wire does not matter, as in Mesos's label comparison.</summary>
public sealed class ResourceReservation : IEquatable<ResourceReservation>
{
    public ResourceReservation(
        ReservationType type,
        string role,
        string? principal = null,
        IEnumerable<ResourceLabel>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(role);
        Type = type;
        Role = role;
        Principal = principal;
        Labels = labels is null
            ? []
            : [.. labels.OrderBy(static l => l.Key, StringComparer.Ordinal).ThenBy(static l => l.Value, StringComparer.Ordinal)];
    }

    public ReservationType Type { get; }

    public string Role { get; }

    public string? Principal { get; }

    /// <summary>Sorted by key then value; empty when the reservation has no labels.</summary>
    public ImmutableArray<ResourceLabel> Labels { get; }

    public static ResourceReservation Static(string role) => new(ReservationType.STATIC, role);

    public static ResourceReservation Dynamic(string role, string? principal = null, IEnumerable<ResourceLabel>? labels = null) =>
        new(ReservationType.DYNAMIC, role, principal, labels);

    internal Labels? LabelsToWire() => Labels.IsEmpty
        ? null
        : new Labels { Items = Labels.Select(static l => new Label { Key = l.Key, Value = l.Value }).ToList() };

    public static bool operator ==(ResourceReservation? left, ResourceReservation? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(ResourceReservation? left, ResourceReservation? right) => !(left == right);

    public bool Equals(ResourceReservation? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Type == other.Type
                && string.Equals(Role, other.Role, StringComparison.Ordinal)
                && string.Equals(Principal, other.Principal, StringComparison.Ordinal)
                && Labels.AsSpan().SequenceEqual(other.Labels.AsSpan())));

    public override bool Equals(object? obj) => Equals(obj as ResourceReservation);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.Add(Role, StringComparer.Ordinal);
        hash.Add(Principal, StringComparer.Ordinal);
        foreach (var label in Labels)
        {
            hash.Add(label);
        }

        return hash.ToHashCode();
    }

    /// <summary>"(STATIC,eng)" or "(DYNAMIC,eng,alice,{k:v})", the shape Mesos uses when it prints a
    /// reservation stack.</summary>
    public override string ToString()
    {
        var text = "(" + Type + "," + Role;
        if (Principal is not null)
        {
            text += "," + Principal;
        }

        if (!Labels.IsEmpty)
        {
            text += ",{" + string.Join(", ", Labels.Select(static l => l.Value is null ? l.Key : l.Key + ": " + l.Value)) + "}";
        }

        return text + ")";
    }
}
