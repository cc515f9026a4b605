namespace Mesos.Orleans.Grains.Roles;

/// <summary>What <see cref="RoleGrain"/> stores: the weight and quota an operator set for the role.</summary>
[GenerateSerializer]
public sealed class RoleRecord : Registry.ITermedRecord
{
    [Id(0)]
    public string Role { get; set; } = string.Empty;

    /// <summary>Null: the operator set none (the role weighs 1).</summary>
    [Id(1)]
    public double? Weight { get; set; }

    /// <summary>Its QuotaConfig as Mesos v1 JSON; null: no quota.</summary>
    [Id(2)]
    public string? QuotaJson { get; set; }

    [Id(3)]
    public DateTimeOffset UpdatedAt { get; set; }

    [Id(4)]
    public long Term { get; set; }
}
