using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

// Dynamic reservations: RESERVE and UNRESERVE, from a framework's ACCEPT (on offered resources) or from an
// operator (on the agent's free resources). The master keeps each agent's conversions and applies them
// again when the agent reregisters with its static resources.
public sealed partial class MasterCore
{
    private readonly Dictionary<AgentId, List<(ResourceBag From, ResourceBag To)>> _reservations = [];

    /// <summary>RESERVE_RESOURCES / UNRESERVE_RESOURCES from an operator: offers on the agent are rescinded
    /// so that the resources are free, then converted; 409 if they are still in use.</summary>
    public Task<CallResult> OperatorReserveAsync(ReserveResourcesCall call, bool reserve) => _loop.InvokeAsync(() =>
    {
        if (call.AgentId is null || !_agents.TryGetValue(call.AgentId, out var agent))
        {
            return CallResult.BadRequest($"Agent '{call.AgentId}' not found");
        }

        var (from, to, error) = ParseConversion(reserve, call.Source, call.Resources, role: null);
        if (error is not null || from is null || to is null)
        {
            return CallResult.BadRequest(error ?? "Invalid resources");
        }

        foreach (var offer in _offers.Values.Where(o => o.AgentId == agent.Id).ToList())
        {
            RemoveOffer(offer, rescind: true);
        }

        if (!agent.Available.Contains(from))
        {
            return CallResult.Conflict($"Resources {from} are not free on agent {agent.Id} (in use by tasks)");
        }

        Convert(agent, null, from, to);
        RequestAllocation();
        return CallResult.Accepted;
    });

    /// <summary>RESERVE or UNRESERVE inside an ACCEPT: converts part of what was offered; the launches that
    /// follow in the same ACCEPT may use the result. Returns the offered resources after the operation.</summary>
    private ResourceBag ApplyReservation(FrameworkEntity framework, AgentEntity agent, OfferOperation operation, ResourceBag offered, string role)
    {
        var reserve = operation.Type == OperationType.RESERVE;
        var body = reserve ? operation.Reserve : operation.Unreserve;
        var (from, to, error) = ParseConversion(reserve, body?.Source, body?.Resources, role);
        if (error is null && from is not null && to is not null)
        {
            from = from.WithAllocationRole(role);
            to = to.WithAllocationRole(role);
            if (!offered.Contains(from))
            {
                error = $"{operation.Type} uses resources {from} that are not in the offer";
            }
        }

        if (error is not null || from is null || to is null)
        {
            RecordOperation(framework, operation.Id, agent.Id, OperationState.OPERATION_ERROR, error);
            return offered;
        }

        Convert(agent, framework.Id, from, to);
        RecordOperation(framework, operation.Id, agent.Id, OperationState.OPERATION_FINISHED, null);
        return offered.Subtract(from).Add(to);
    }

    /// <summary>What a RESERVE turns into what (the reserved resources, from their source: given, or the
    /// same resources one reservation less), or an UNRESERVE the reverse. Role, when given, bounds what a
    /// framework may reserve: its allocation role or a subrole of it.</summary>
    private static (ResourceBag? From, ResourceBag? To, string? Error) ParseConversion(bool reserve, List<Resource>? source, List<Resource>? resources, string? role)
    {
        ResourceBag target;
        try
        {
            target = ResourceBag.FromWire(resources).WithAllocationRole(null);
        }
        catch (ResourceFormatException e)
        {
            return (null, null, $"Invalid resources: {e.Message}");
        }

        if (target.IsEmpty)
        {
            return (null, null, "Expecting 'resources' to be present and not empty");
        }

        if (target.Entries.Any(e => !e.Key.IsDynamicallyReserved))
        {
            return (null, null, $"Resources {target} must all carry a dynamic reservation");
        }

        if (role is not null && target.Entries.Any(e => !RoleName.IsSelfOrAncestor(role, e.Key.ReservationRole)))
        {
            return (null, null, $"A framework in role '{role}' may reserve only for that role or its subroles");
        }

        var popped = target.PopReservation();
        if (!reserve)
        {
            return (target, popped, null);
        }

        if (source is null or { Count: 0 })
        {
            return (popped, target, null);
        }

        try
        {
            var from = ResourceBag.FromWire(source).WithAllocationRole(null);
            return ResourceQuantities.Of(from).Equals(ResourceQuantities.Of(target))
                ? (from, target, null)
                : (null, null, "'source' and 'resources' of a RESERVE must hold the same quantities");
        }
        catch (ResourceFormatException e)
        {
            return (null, null, $"Invalid source resources: {e.Message}");
        }
    }

    private void Convert(AgentEntity agent, FrameworkId? framework, ResourceBag from, ResourceBag to)
    {
        agent.Total = agent.Total.Subtract(from.WithAllocationRole(null)).Add(to.WithAllocationRole(null));
        _allocator.ConvertResources(agent.Id, framework, from, to);
        if (!_reservations.TryGetValue(agent.Id, out var list))
        {
            _reservations[agent.Id] = list = [];
        }

        list.Add((from.WithAllocationRole(null), to.WithAllocationRole(null)));
        PersistReservations(agent.Id);
    }

    /// <summary>An agent reregisters with its static resources: the dynamic reservations made since apply again.</summary>
    private ResourceBag WithReservations(AgentId agent, ResourceBag total)
    {
        foreach (var (from, to) in _reservations.GetValueOrDefault(agent) ?? [])
        {
            if (total.Contains(from))
            {
                total = total.Subtract(from).Add(to);
            }
        }

        return total;
    }
}
