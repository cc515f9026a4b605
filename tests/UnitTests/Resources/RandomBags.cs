using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Resources;

/// <summary>Small random bags over a fixed universe of keys, so that random pairs often share keys and
/// the combining paths get exercised. Bags are well formed like an agent's: a port or set item appears
/// under one key only, because for RANGES and SET addition is a union, not a count.</summary>
internal static class RandomBags
{
    private static readonly ResourceReservation[][] Stacks =
    [
        [],
        [ResourceReservation.Static("eng")],
        [ResourceReservation.Static("eng"), ResourceReservation.Dynamic("eng/backend", "bob")],
        [ResourceReservation.Dynamic("ops", "alice", [new ResourceLabel("team", "sre")])],
    ];

    private static readonly string[] Items = ["a", "b", "c", "d", "e", "f"];

    /// <summary>A random bag; with <paramref name="disjointFrom"/>, none of its ports or set items are
    /// in that bag, so the two can be added and separated again.</summary>
    public static ResourceBag Next(Random random, bool simpleOnly = false, ResourceBag? disjointFrom = null)
    {
        var usedPorts = disjointFrom?.Ranges("ports") ?? ValueRangeSet.Empty;
        var usedZones = disjointFrom?.SetOf("zones") ?? [];
        var entries = new List<ResourceEntry>();
        var n = random.Next(0, 8);
        for (var i = 0; i < n; i++)
        {
            var stack = simpleOnly ? Stacks[random.Next(0, 2)] : Stacks[random.Next(Stacks.Length)];
            var allocation = !simpleOnly && random.Next(3) == 0 ? "eng" : null;
            var revocable = !simpleOnly && random.Next(5) == 0;
            var (name, type) = random.Next(6) switch
            {
                0 => ("cpus", ResourceValueType.SCALAR),
                1 => ("mem", ResourceValueType.SCALAR),
                2 => ("disk", ResourceValueType.SCALAR),
                3 => ("gpus", ResourceValueType.SCALAR),
                4 => ("ports", ResourceValueType.RANGES),
                _ => ("zones", ResourceValueType.SET),
            };
            var key = new ResourceKey(name, type, stack, allocation, revocable);
            var value = NextValue(random, type);
            if (type == ResourceValueType.RANGES)
            {
                value = ResourceValue.FromRanges(value.Ranges.Difference(usedPorts));
                usedPorts = usedPorts.Union(value.Ranges);
            }
            else if (type == ResourceValueType.SET)
            {
                value = ResourceValue.FromSet(value.Set.Except(usedZones));
                usedZones = usedZones.Union(value.Set);
            }

            entries.Add(new ResourceEntry(key, value));
        }

        return ResourceBag.Of(entries);
    }

    /// <summary>A random bag contained in <paramref name="bag"/>: per entry, some or all of it, or none.</summary>
    public static ResourceBag SubsetOf(Random random, ResourceBag bag)
    {
        var entries = new List<ResourceEntry>();
        foreach (var entry in bag.Entries)
        {
            var value = entry.Value;
            var part = value.Type switch
            {
                ResourceValueType.SCALAR => ResourceValue.FromScalar(FixedPoint.FromMilli(random.NextInt64(0, value.Scalar.Milli + 1))),
                ResourceValueType.RANGES => ResourceValue.FromRanges(value.Ranges.Intersect(NextRanges(random))),
                _ => ResourceValue.FromSet(value.Set.Where(_ => random.Next(2) == 0)),
            };
            entries.Add(new ResourceEntry(entry.Key, part));
        }

        return ResourceBag.Of(entries);
    }

    /// <summary>The same bag, built from its entries in a shuffled order.</summary>
    public static ResourceBag Shuffled(Random random, ResourceBag bag)
    {
        var entries = bag.Entries.ToArray();
        random.Shuffle(entries);
        return ResourceBag.Of(entries);
    }

    private static ResourceValue NextValue(Random random, ResourceValueType type) => type switch
    {
        // Thousandths, so fractional amounts are common; zero now and then to check it is dropped.
        ResourceValueType.SCALAR => ResourceValue.FromScalar(FixedPoint.FromMilli(random.Next(0, 10) == 0 ? 0 : random.Next(1, 20_000))),
        ResourceValueType.RANGES => ResourceValue.FromRanges(NextRanges(random)),
        _ => ResourceValue.FromSet(Items.Where(_ => random.Next(3) == 0)),
    };

    private static ValueRangeSet NextRanges(Random random)
    {
        var ranges = new List<InclusiveRange>();
        var n = random.Next(0, 4);
        for (var i = 0; i < n; i++)
        {
            var begin = (ulong)random.Next(31000, 31100);
            ranges.Add(new InclusiveRange(begin, begin + (ulong)random.Next(0, 20)));
        }

        return ValueRangeSet.Of(ranges);
    }
}
