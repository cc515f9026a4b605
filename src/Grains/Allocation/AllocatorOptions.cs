using Mesos.Orleans.Interfaces.Resources;

namespace Mesos.Orleans.Grains.Allocation;

/// <summary>The allocator's settings, with Mesos's defaults.</summary>
public sealed class AllocatorOptions
{
    /// <summary>An offer is made only if it holds at least one of these (Mesos's
    /// <c>--min_allocatable_resources=cpus:0.01|mem:32</c>), so crumbs are not offered over and over.</summary>
    public IReadOnlyList<ResourceQuantities> MinAllocatable { get; init; } =
        [ResourceQuantities.Parse("cpus:0.01"), ResourceQuantities.Parse("mem:32")];

    /// <summary>Refusal filters shorter than this are lengthened to it (Mesos floors them at the allocation
    /// interval, since a shorter one would lapse before the next run anyway).</summary>
    public TimeSpan MinRefusal { get; init; } = TimeSpan.FromSeconds(1);

    public bool IsAllocatable(ResourceQuantities offer) =>
        MinAllocatable.Count == 0 || MinAllocatable.Any(offer.Contains);
}
