using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

// Persistent volumes: CREATE turns reserved disk of an offer into a volume with a persistence ID and a
// container path; DESTROY turns it back, and the agent deletes the volume's data. Volumes outlive tasks:
// the agent keeps them under work_dir/volumes and links them into the sandboxes of tasks that use them.
public sealed partial class MasterCore
{
    private ResourceBag ApplyVolumes(FrameworkEntity framework, AgentEntity agent, OfferOperation operation, ResourceBag offered, string role)
    {
        var create = operation.Type == OperationType.CREATE;
        var body = create ? operation.Create : operation.Destroy;
        var (volumes, error) = ParseVolumes(body?.Volumes, role);
        if (error is null && volumes is not null)
        {
            var stripped = volumes.MapKeys(k => new ResourceKey(k.Name, k.Type, k.Reservations, k.AllocationRole, k.Revocable, k.Shared, disk: null));
            var (from, to) = create ? (stripped, volumes) : (volumes, stripped);
            from = from.WithAllocationRole(role);
            to = to.WithAllocationRole(role);
            if (create && VolumeIds(agent.Total).Overlaps(VolumeIds(volumes)))
            {
                error = "A persistent volume with the same ID already exists on the agent";
            }
            else if (!offered.Contains(from))
            {
                error = $"{operation.Type} uses resources {from.WithAllocationRole(null)} that are not in the offer";
            }
            else
            {
                Convert(agent, framework.Id, from, to);
                RecordOperation(framework, operation.Id, agent.Id, OperationState.OPERATION_FINISHED, null);
                if (!create)
                {
                    SendToAgent(agent, new AgentEvent { Type = AgentEventType.DESTROY_VOLUMES, DestroyVolumes = new DestroyVolumes { Volumes = volumes.ToWire(ResourceFormat.Endpoint) } });
                }

                return offered.Subtract(from).Add(to);
            }
        }

        RecordOperation(framework, operation.Id, agent.Id, OperationState.OPERATION_ERROR, error);
        return offered;
    }

    /// <summary>Volumes as Mesos requires them: disk, reserved (to the framework's role or a subrole), with a
    /// persistence ID and a volume container path.</summary>
    private static (ResourceBag? Volumes, string? Error) ParseVolumes(List<Resource>? resources, string role)
    {
        ResourceBag volumes;
        try
        {
            volumes = ResourceBag.FromWire(resources).WithAllocationRole(null);
        }
        catch (ResourceFormatException e)
        {
            return (null, $"Invalid volumes: {e.Message}");
        }

        if (volumes.IsEmpty)
        {
            return (null, "Expecting 'volumes' to be present and not empty");
        }

        foreach (var entry in volumes.Entries)
        {
            if (entry.Key.Name != "disk" || entry.Key.Disk is not { ContainerPath.Length: > 0 })
            {
                return (null, $"'{entry.Key}' is not a persistent volume: a disk with a persistence ID and a volume container path");
            }

            if (!entry.Key.IsReserved)
            {
                return (null, "Persistent volumes can only be made from reserved disk");
            }

            if (!RoleName.IsSelfOrAncestor(role, entry.Key.ReservationRole) && !RoleName.IsSelfOrAncestor(entry.Key.ReservationRole, role))
            {
                return (null, $"A framework in role '{role}' may not use volumes reserved to '{entry.Key.ReservationRole}'");
            }
        }

        return (volumes, null);
    }

    private static HashSet<string> VolumeIds(ResourceBag resources) =>
        [.. resources.PersistentVolumes().Entries.Select(e => e.Key.Disk!.Id)];
}
