namespace Mesos.Orleans.Grains.Registry;

/// <summary>The master grain's durable incarnation counter: each activation claims the next term (an ETag-checked
/// write, so two activations racing cannot claim the same one) before it recovers, and every record write it
/// makes names that term.</summary>
[GenerateSerializer]
public sealed class MasterTerm
{
    /// <summary>The master grain's state name; the fence reads the same record.</summary>
    public const string StateName = "master-term";

    [Id(0)]
    public long Term { get; set; }
}
