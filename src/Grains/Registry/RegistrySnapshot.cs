using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Registry;

/// <summary>Everything a master recovers from its registry: the records its grains keep.</summary>
public sealed record RegistrySnapshot(
    IReadOnlyList<RegisteredAgent> Agents,
    IReadOnlyList<RegisteredFramework> Frameworks)
{
    public IReadOnlyList<RegisteredRole> Roles { get; init; } = [];

    public IReadOnlyList<string> DownMachines { get; init; } = [];

    public IReadOnlyList<RegisteredReservations> Reservations { get; init; } = [];

    public static RegistrySnapshot Empty { get; } = new([], []);
}

public sealed record RegisteredAgent(AgentId Id, AgentInfo Info, string State)
{
    public DrainConfig? Drain { get; init; }
}

public sealed record RegisteredFramework(FrameworkId Id, FrameworkInfo Info, bool Removed);

/// <summary>A role's operator-set weight and quota; null where the operator set none.</summary>
public sealed record RegisteredRole(string Role, double? Weight, QuotaConfig? Quota);

public sealed record RegisteredReservations(AgentId AgentId, IReadOnlyList<ReservationRecord> Conversions);

/// <summary>One dynamic reservation as stored: resources in Mesos v1 JSON before and after the conversion.</summary>
[GenerateSerializer]
public sealed class ReservationRecord
{
    [Id(0)]
    public List<Resource> From { get; set; } = [];

    [Id(1)]
    public List<Resource> To { get; set; } = [];
}

/// <summary>An agent's lifecycle state in the registry, with the names its records use.</summary>
[GenerateSerializer]
public enum AgentRegistryState
{
    Active,
    Deactivated,
    Draining,
    Unreachable,
    Gone,
}

public static class AgentRegistryStates
{
    public static string Name(this AgentRegistryState state) => state switch
    {
        AgentRegistryState.Active => "active",
        AgentRegistryState.Deactivated => "deactivated",
        AgentRegistryState.Draining => "draining",
        AgentRegistryState.Unreachable => "unreachable",
        AgentRegistryState.Gone => "gone",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static AgentRegistryState Parse(string name) => name switch
    {
        "active" => AgentRegistryState.Active,
        "deactivated" => AgentRegistryState.Deactivated,
        "draining" => AgentRegistryState.Draining,
        "unreachable" => AgentRegistryState.Unreachable,
        "gone" => AgentRegistryState.Gone,
        _ => throw new InvalidDataException($"Unknown agent state '{name}' in the registry"),
    };
}
