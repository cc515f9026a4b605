using System.Globalization;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>Conversion between the wire <see cref="Resource"/> and the model. Reading accepts every format
/// Mesos accepts and validates as Mesos's <c>Resources::validate</c> does; writing produces exactly one of
/// the three formats (HTTP API brief §3.5).</summary>
internal static class ResourceWire
{
    public static ResourceEntry Read(Resource? resource, int position)
    {
        if (resource is null)
        {
            throw new ResourceFormatException($"Invalid resource #{position}: null entry");
        }

        var what = string.IsNullOrEmpty(resource.Name)
            ? $"Invalid resource #{position}"
            : $"Invalid resource #{position} '{resource.Name}'";
        try
        {
            return ReadUnchecked(resource);
        }
        catch (ResourceFormatException e)
        {
            throw new ResourceFormatException(what + ": " + e.Message, e);
        }
    }

    public static Resource Write(ResourceEntry entry, ResourceFormat format)
    {
        var key = entry.Key;
        var resource = new Resource { Name = key.Name, Type = key.Type };
        switch (key.Type)
        {
            case ResourceValueType.SCALAR:
                resource.Scalar = new Scalar { Value = entry.Value.Scalar.ToDouble() };
                break;
            case ResourceValueType.RANGES:
                resource.Ranges = entry.Value.Ranges.ToWire();
                break;
            default:
                resource.Set = new ValueSet { Item = [.. entry.Value.Set] };
                break;
        }

        if (key.AllocationRole is not null)
        {
            resource.AllocationInfo = new AllocationInfo { Role = key.AllocationRole };
        }

        if (key.Disk is { } disk)
        {
            resource.Disk = new DiskInfo
            {
                Persistence = new Persistence { Id = disk.Id, Principal = disk.Principal },
                Volume = disk.ContainerPath is null && disk.Mode is null && disk.HostPath is null
                    ? null
                    : new Volume { ContainerPath = disk.ContainerPath, Mode = disk.Mode, HostPath = disk.HostPath },
            };
        }

        if (key.Revocable)
        {
            resource.Revocable = new RevocableInfo();
        }

        if (key.Shared)
        {
            resource.Shared = new SharedInfo();
        }

        if (format is ResourceFormat.PreRefinement && key.IsRefined)
        {
            throw new InvalidOperationException(
                $"Resource '{entry}' has a refined reservation, which the pre-refinement format cannot express");
        }

        if (format is ResourceFormat.PreRefinement or ResourceFormat.Endpoint)
        {
            // The legacy fields describe the reservation that decides who may use the resource: the top
            // of the stack. Only a dynamic one has a 'reservation' object, carrying just principal and
            // labels; its type and role are implied by the presence of the object and by 'role'.
            resource.Role = key.ReservationRole;
            if (key.IsDynamicallyReserved)
            {
                var top = key.Reservations[^1];
                resource.Reservation = new ReservationInfo { Principal = top.Principal, Labels = top.LabelsToWire() };
            }
        }

        if ((format is ResourceFormat.PostRefinement or ResourceFormat.Endpoint) && key.IsReserved)
        {
            resource.Reservations = key.Reservations
                .Select(static r => new ReservationInfo { Type = r.Type, Role = r.Role, Principal = r.Principal, Labels = r.LabelsToWire() })
                .ToList();
        }

        return resource;
    }

    private static ResourceEntry ReadUnchecked(Resource resource)
    {
        if (string.IsNullOrEmpty(resource.Name))
        {
            throw new ResourceFormatException("Empty resource name");
        }

        var type = resource.Type ?? throw new ResourceFormatException("Missing resource type");
        var value = ReadValue(resource, type);
        var reservations = ReadReservations(resource);

        string? allocationRole = resource.AllocationInfo?.Role;
        if (allocationRole is not null && RoleName.Validate(allocationRole) is { } allocationError)
        {
            throw new ResourceFormatException("Invalid allocation role: " + allocationError);
        }

        DiskPersistence? disk = null;
        if (resource.Disk is { } diskInfo)
        {
            if (resource.Name != "disk")
            {
                throw new ResourceFormatException($"DiskInfo should not be set for {resource.Name} resource");
            }

            if (diskInfo.Persistence is { } persistence)
            {
                if (string.IsNullOrEmpty(persistence.Id))
                {
                    throw new ResourceFormatException("Persistent volume without an id");
                }

                disk = new DiskPersistence(
                    persistence.Id,
                    persistence.Principal,
                    diskInfo.Volume?.ContainerPath,
                    diskInfo.Volume?.Mode,
                    diskInfo.Volume?.HostPath);
            }
        }

        var shared = resource.Shared is not null;
        if (shared && disk is null)
        {
            throw new ResourceFormatException("Only persistent volumes can be shared");
        }

        var key = new ResourceKey(resource.Name, type, reservations, allocationRole, resource.Revocable is not null, shared, disk);
        return new ResourceEntry(key, value);
    }

    private static ResourceValue ReadValue(Resource resource, ResourceValueType type)
    {
        switch (type)
        {
            case ResourceValueType.SCALAR:
                if (resource.Scalar is null || resource.Ranges is not null || resource.Set is not null)
                {
                    throw new ResourceFormatException("Invalid scalar resource: a SCALAR must have 'scalar' and only 'scalar' set");
                }

                return ResourceValue.FromScalar(ReadScalar(resource.Scalar.Value));

            case ResourceValueType.RANGES:
                if (resource.Ranges is null || resource.Scalar is not null || resource.Set is not null)
                {
                    throw new ResourceFormatException("Invalid ranges resource: a RANGES must have 'ranges' and only 'ranges' set");
                }

                return ResourceValue.FromRanges(ValueRangeSet.FromWire(resource.Ranges, rejectOverlaps: true));

            case ResourceValueType.SET:
                if (resource.Set is null || resource.Scalar is not null || resource.Ranges is not null)
                {
                    throw new ResourceFormatException("Invalid set resource: a SET must have 'set' and only 'set' set");
                }

                var items = resource.Set.Item ?? [];
                if (items.Any(static i => i is null))
                {
                    throw new ResourceFormatException("Invalid set resource: null item");
                }

                if (items.Distinct(StringComparer.Ordinal).Count() != items.Count)
                {
                    throw new ResourceFormatException("Invalid set resource: duplicated elements");
                }

                return ResourceValue.FromSet(items);

            default:
                throw new ResourceFormatException($"Unsupported resource type {type}");
        }
    }

    /// <summary>Shared by the wire and text readers: the checks every scalar amount must pass.</summary>
    public static FixedPoint ReadScalar(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ResourceFormatException("Invalid scalar resource: value is NaN");
        }

        if (double.IsInfinity(value))
        {
            throw new ResourceFormatException("Invalid scalar resource: value is infinite");
        }

        if (value < 0)
        {
            throw new ResourceFormatException(
                "Invalid scalar resource: value < 0 (" + value.ToString(CultureInfo.InvariantCulture) + ")");
        }

        return FixedPoint.TryFromDouble(value, out var fixedPoint)
            ? fixedPoint
            : throw new ResourceFormatException(
                "Invalid scalar resource: value too large (" + value.ToString(CultureInfo.InvariantCulture) + ")");
    }

    /// <summary>The reservation stack from whichever format was used: a non-empty <c>reservations</c>
    /// wins (post-refinement and endpoint formats); otherwise <c>role</c> (missing means "*") plus the
    /// optional <c>reservation</c> describe one level, STATIC without it and DYNAMIC with it.</summary>
    private static List<ResourceReservation> ReadReservations(Resource resource)
    {
        var stack = new List<ResourceReservation>();
        if (resource.Reservations is { Count: > 0 } list)
        {
            foreach (var info in list)
            {
                if (info is null)
                {
                    throw new ResourceFormatException("Invalid reservation: null entry");
                }

                var type = info.Type is ReservationType.STATIC or ReservationType.DYNAMIC
                    ? info.Type.Value
                    : throw new ResourceFormatException(
                        $"Invalid reservation: type must be STATIC or DYNAMIC (role '{info.Role}')");
                var reservation = new ResourceReservation(type, ReadReservationRole(info.Role), info.Principal, ReadLabels(info.Labels));

                if (stack.Count > 0)
                {
                    var below = stack[^1];
                    if (type == ReservationType.STATIC && below.Type == ReservationType.DYNAMIC)
                    {
                        throw new ResourceFormatException("Invalid reservation: a STATIC reservation cannot refine a DYNAMIC one");
                    }

                    if (!RoleName.IsStrictAncestor(below.Role, reservation.Role))
                    {
                        throw new ResourceFormatException(
                            $"Invalid reservation: role '{reservation.Role}' must be a descendant of '{below.Role}' to refine it");
                    }
                }

                stack.Add(reservation);
            }

            return stack;
        }

        var role = resource.Role ?? RoleName.Any;
        if (role == RoleName.Any)
        {
            if (resource.Reservation is not null)
            {
                throw new ResourceFormatException("Invalid reservation: role \"*\" cannot be dynamically reserved");
            }

            return stack;
        }

        var legacyRole = ReadReservationRole(role);
        stack.Add(resource.Reservation is { } legacy
            ? ResourceReservation.Dynamic(legacyRole, legacy.Principal, ReadLabels(legacy.Labels))
            : ResourceReservation.Static(legacyRole));
        return stack;
    }

    private static string ReadReservationRole(string? role)
    {
        if (string.IsNullOrEmpty(role))
        {
            throw new ResourceFormatException("Invalid reservation: empty role");
        }

        if (role == RoleName.Any)
        {
            throw new ResourceFormatException("Invalid reservation: cannot reserve to role \"*\"");
        }

        return RoleName.Validate(role) is { } error
            ? throw new ResourceFormatException("Invalid reservation: " + error)
            : role;
    }

    private static List<ResourceLabel>? ReadLabels(Labels? labels)
    {
        if (labels?.Items is not { Count: > 0 } items)
        {
            return null;
        }

        var result = new List<ResourceLabel>(items.Count);
        foreach (var label in items)
        {
            if (label?.Key is null)
            {
                throw new ResourceFormatException("Invalid reservation: label without a key");
            }

            result.Add(new ResourceLabel(label.Key, label.Value));
        }

        return result;
    }
}
