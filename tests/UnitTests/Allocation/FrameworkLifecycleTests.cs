using Mesos.Orleans.Grains.Allocation;
using static Mesos.Orleans.UnitTests.Allocation.AllocatorHarness;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>Frameworks coming and going, and resources coming back: deactivated frameworks get nothing,
/// declined and freed resources are offered again, removed frameworks release what they held.</summary>
public sealed class FrameworkLifecycleTests
{
    [Fact]
    public void A_deactivated_framework_is_offered_nothing_until_reactivated()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        h.Allocator.SetFrameworkActive(fw, false);

        Assert.Empty(h.Allocate());
        Assert.Equal(NoOfferReason.Inactive, h.Allocator.Explain(fw).Reason);

        h.Allocator.SetFrameworkActive(fw, true);
        Assert.Equal(fw, Assert.Single(h.Allocate()).FrameworkId);
    }

    [Fact]
    public void A_framework_added_inactive_is_offered_nothing()
    {
        var h = new AllocatorHarness();
        var fw = new Interfaces.V1.FrameworkId("fw");
        h.Allocator.AddFramework(fw, ["role"], active: false);
        h.AddAgent("cpus:1;mem:512");

        Assert.Empty(h.Allocate());
    }

    [Fact]
    public void What_a_deactivated_framework_would_have_had_goes_to_others()
    {
        var h = new AllocatorHarness();
        var fw1 = h.AddFramework("role");
        var fw2 = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        h.Allocator.SetFrameworkActive(fw1, false);

        Assert.Equal(fw2, Assert.Single(h.Allocate()).FrameworkId);
    }

    [Fact]
    public void Declined_resources_are_offered_again()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        var agent = h.AddAgent("cpus:2;mem:1024");
        var offer = Assert.Single(h.Allocate());
        Assert.Empty(h.Allocate());

        h.Decline(offer);

        var again = Assert.Single(h.Allocate());
        Assert.Equal(fw, again.FrameworkId);
        Assert.Equal(agent, again.AgentId);
        Assert.Equal(offer.Resources, again.Resources);
    }

    [Fact]
    public void Resources_freed_when_a_task_ends_are_offered_again()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        var agent = h.AddAgent("cpus:2;mem:1024");
        var task = h.Launch(Assert.Single(h.Allocate()), "cpus:1;mem:512");
        Assert.Equal(Bag("cpus:1;mem:512"), Sum([Assert.Single(h.Allocate())]));
        Assert.Empty(h.Allocate());

        h.Allocator.RecoverResources(fw, agent, task);

        Assert.Equal(Bag("cpus:1;mem:512"), Sum([Assert.Single(h.Allocate())]));
        Assert.Equal(0, h.Allocator.AccountingErrors);
    }

    [Fact]
    public void Recovering_more_than_was_allocated_is_counted_as_an_accounting_error()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        var agent = h.AddAgent("cpus:2;mem:1024");
        Assert.Single(h.Allocate());

        h.Allocator.RecoverResources(fw, agent, Bag("cpus:3").WithAllocationRole("role"));

        Assert.Equal(1, h.Allocator.AccountingErrors);
    }

    [Fact]
    public void A_removed_framework_s_recovered_resources_go_to_the_remaining_frameworks()
    {
        var h = new AllocatorHarness();
        var fw1 = h.AddFramework("role1");
        var fw2 = h.AddFramework("role2");
        h.AddAgent("cpus:2;mem:1024");
        var offer = Assert.Single(h.Allocate());
        Assert.Equal(fw1, offer.FrameworkId);

        h.Decline(offer);
        h.Allocator.RemoveFramework(fw1);

        Assert.Equal(fw2, Assert.Single(h.Allocate()).FrameworkId);
        Assert.Equal(1, h.Allocator.FrameworkCount);
        Assert.Null(h.Allocator.Framework(fw1));
    }

    [Fact]
    public void Resources_recovered_after_their_framework_was_removed_return_to_the_agent()
    {
        var h = new AllocatorHarness();
        var fw1 = h.AddFramework("role1");
        var fw2 = h.AddFramework("role2");
        var agent = h.AddAgent("cpus:2;mem:1024");
        var offer = Assert.Single(h.Allocate());
        Assert.Equal(fw1, offer.FrameworkId);

        h.Allocator.RemoveFramework(fw1);
        h.Decline(offer);

        Assert.Equal(Bag("cpus:2;mem:1024"), h.Allocator.Agent(agent)!.Available);
        Assert.Equal(fw2, Assert.Single(h.Allocate()).FrameworkId);
        Assert.Equal(0, h.Allocator.AccountingErrors);
    }

    [Fact]
    public void A_removed_framework_s_filters_do_not_outlive_it()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        h.AddAgent("cpus:1;mem:512");
        h.Decline(Assert.Single(h.Allocate()), TimeSpan.FromHours(1));

        h.Allocator.RemoveFramework(fw);
        h.Allocator.AddFramework(fw, ["role"]);

        Assert.Equal(fw, Assert.Single(h.Allocate()).FrameworkId);
    }

    [Fact]
    public void A_removed_framework_is_offered_nothing()
    {
        var h = new AllocatorHarness();
        var fw = h.AddFramework("role");
        h.Allocator.RemoveFramework(fw);
        h.AddAgent("cpus:1;mem:512");

        Assert.Empty(h.Allocate());
        Assert.Equal(0, h.Allocator.FrameworkCount);
    }
}
