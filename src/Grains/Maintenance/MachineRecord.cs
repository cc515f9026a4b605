namespace Mesos.Orleans.Grains.Maintenance;

/// <summary>What <see cref="MachineGrain"/> stores while its machine is down for maintenance: there is no record
/// of a machine that is up.</summary>
[GenerateSerializer]
public sealed class MachineRecord : Registry.ITermedRecord
{
    /// <summary>The machine's hostname or IP, as the operator named it.</summary>
    [Id(0)]
    public string Machine { get; set; } = string.Empty;

    [Id(1)]
    public DateTimeOffset DownSince { get; set; }

    [Id(2)]
    public long Term { get; set; }
}
