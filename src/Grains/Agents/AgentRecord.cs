namespace Mesos.Orleans.Grains.Agents;

/// <summary>What <see cref="AgentGrain"/> stores of its agent: what a new master must know before the agent
/// reregisters. Tasks are not here: they live on the agent, which reports them when it reregisters. Mesos types
/// are kept as their v1 JSON, the form operators and the API read them in.</summary>
[GenerateSerializer]
public sealed class AgentRecord : Registry.ITermedRecord
{
    [Id(0)]
    public string AgentId { get; set; } = string.Empty;

    /// <summary>The AgentInfo it last registered with; null while only reservations were stored for it.</summary>
    [Id(1)]
    public string? InfoJson { get; set; }

    /// <summary>A <see cref="Registry.AgentRegistryState"/> name.</summary>
    [Id(2)]
    public string State { get; set; } = "active";

    [Id(3)]
    public string? DrainJson { get; set; }

    /// <summary>Its dynamic reservations (a list of <see cref="Registry.ReservationRecord"/>); null: none.</summary>
    [Id(4)]
    public string? ReservationsJson { get; set; }

    [Id(5)]
    public DateTimeOffset RegisteredAt { get; set; }

    [Id(6)]
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The term of the master that wrote it last.</summary>
    [Id(7)]
    public long Term { get; set; }
}
