namespace Mesos.Orleans.Testing.Orleans;

/// <summary>What <see cref="ProbeGrain"/> persists; public properties, so that System.Text.Json (the silo's
/// grain storage serializer) writes them.</summary>
[GenerateSerializer]
public sealed class ProbeState
{
    [Id(0)]
    public int Count { get; set; }

    [Id(1)]
    public int Reminded { get; set; }
}
