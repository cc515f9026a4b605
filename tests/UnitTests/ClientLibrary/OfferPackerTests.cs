using Mesos.Orleans.Client.Offers;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.ClientLibrary;

/// <summary>What fits in an offer, and the launch built from it with ports assigned.</summary>
public sealed class OfferPackerTests
{
    private static Offer OfferOf(string resources) => new()
    {
        Id = new OfferId("o1"),
        AgentId = new AgentId("a1"),
        Resources = ResourceBag.Parse(resources).WithAllocationRole("*").ToWire(),
    };

    [Fact]
    public void Tasks_are_placed_while_they_fit_and_each_gets_its_own_ports_in_its_environment()
    {
        var packer = new OfferPacker(OfferOf("cpus:1;mem:128;ports:[31000-31001,31005-31005]"));
        var needs = ResourceBag.Parse("cpus:0.4;mem:32");

        var first = packer.TryAddCommandTask("t1", "serve", needs, ports: 2);
        var second = packer.TryAddCommandTask("t2", "serve", needs, ports: 1);
        var third = packer.TryAddCommandTask("t3", "serve", needs, ports: 0);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(third);
        Assert.Equal(["t1", "t2"], packer.Tasks.Select(t => t.TaskId!.Value));
        Assert.Equal(new AgentId("a1"), first.AgentId);
        Assert.Equal(
            ["PORT0=31000", "PORT1=31001", "PORT=31000", "PORTS=31000,31001"],
            first.Command!.Environment!.Variables!.Select(v => $"{v.Name}={v.Value}"));
        Assert.Equal("31005", second.Command!.Environment!.Variables!.Single(v => v.Name == "PORT0").Value);
        var left = packer.Remaining;
        Assert.Equal(0.2, left.ScalarOf("cpus").ToDouble(), 3);
        Assert.Equal(64, left.ScalarOf("mem").ToDouble());
        Assert.True(left.Ranges("ports").IsEmpty);
    }

    [Fact]
    public void What_does_not_fit_takes_nothing()
    {
        var packer = new OfferPacker(OfferOf("cpus:1;mem:128;ports:[31000-31000]"));
        Assert.False(packer.Fits(ResourceBag.Parse("cpus:2")));
        Assert.False(packer.Fits(ResourceBag.Parse("cpus:0.1"), ports: 2));
        Assert.Null(packer.TryAddCommandTask("big", "x", ResourceBag.Parse("cpus:0.5;mem:256")));
        Assert.Equal(ResourceBag.FromWire(packer.Offer.Resources), packer.Remaining);
        Assert.True(packer.Fits(ResourceBag.Parse("cpus:1;mem:128"), ports: 1));
    }

    [Fact]
    public void Resources_reserved_for_the_role_are_used_before_unreserved_ones_and_keep_their_reservation()
    {
        var offer = new Offer
        {
            Id = new OfferId("o2"),
            AgentId = new AgentId("a1"),
            Resources = ResourceBag.Parse("cpus:1;mem:64").Add(ResourceBag.Parse("cpus(eng):0.5;mem(eng):32")).WithAllocationRole("eng").ToWire(),
        };
        var packer = new OfferPacker(offer);

        Assert.True(packer.TryTake(ResourceBag.Parse("cpus:0.75;mem:16"), 0, out var taken, out var ports));
        Assert.Empty(ports);
        Assert.Equal(0.5, taken.Reserved("eng").ScalarOf("cpus").ToDouble());
        Assert.Equal(0.25, taken.Unreserved().ScalarOf("cpus").ToDouble());
        Assert.Equal(16, taken.Reserved("eng").ScalarOf("mem").ToDouble());
        Assert.True(ResourceBag.FromWire(offer.Resources).Contains(taken));
    }
}
