using Mesos.Orleans.Grains.Allocation;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using static Mesos.Orleans.UnitTests.Master.MasterFixture;

namespace Mesos.Orleans.UnitTests.Master;

/// <summary>Offers as the master makes them from the allocator's runs.</summary>
public sealed class MasterOfferTests
{
    [Fact]
    public async Task An_offer_held_past_the_offer_timeout_is_rescinded_and_offered_again()
    {
        await using var fixture = await StartAsync(new MasterOptions { OfferTimeout = TimeSpan.FromSeconds(10) });
        await fixture.AddAgentAsync();
        var (_, stream) = await fixture.AddFrameworkAsync();
        var first = (await NextAsync<Event>(stream)).Offers!.Offers![0];

        fixture.Time.Advance(TimeSpan.FromSeconds(11));

        var rescind = await NextAsync<Event>(stream);
        Assert.Equal(EventType.RESCIND, rescind.Type);
        Assert.Equal(first.Id, rescind.Rescind!.OfferId);
        var again = await NextAsync<Event>(stream);
        Assert.Equal(EventType.OFFERS, again.Type);
        Assert.NotEqual(first.Id, again.Offers!.Offers![0].Id);
    }

    [Fact]
    public async Task A_multi_role_framework_sees_allocation_info_on_the_offer_and_its_resources()
    {
        await using var fixture = await StartAsync();
        await fixture.AddAgentAsync("cpus:4;mem:4096;cpus(b):2");
        var (_, stream) = await fixture.AddFrameworkAsync(new FrameworkInfo
        {
            User = "u",
            Name = "multi",
            Roles = ["a", "b"],
            Capabilities = [new FrameworkCapability { Type = FrameworkCapabilityType.MULTI_ROLE }],
        });

        var offers = (await NextAsync<Event>(stream)).Offers!.Offers!;

        Assert.All(offers, o => Assert.All(o.Resources!, r => Assert.Equal(o.AllocationInfo!.Role, r.AllocationInfo!.Role)));
        var forB = offers.Single(o => o.AllocationInfo!.Role == "b");
        Assert.Contains(forB.Resources!, r => r.Name == "cpus" && r.Role == "b" && r.Scalar!.Value == 2);
    }

    [Fact]
    public async Task Resources_reserved_to_a_role_are_not_offered_to_another_role()
    {
        await using var fixture = await StartAsync();
        await fixture.AddAgentAsync("cpus(eng):2;mem(eng):512");
        var (_, stream) = await fixture.AddFrameworkAsync(new FrameworkInfo { User = "u", Name = "ops", Role = "ops" });
        await fixture.Master.GetStateAsync();

        var report = await Eventually(fixture, r => r.Frameworks.Count > 0);

        Assert.True(NothingButHeartbeats(stream));
        Assert.Equal(NoOfferReason.NoMatchingResources, report.Roles["ops"].Reason);
    }

    [Fact]
    public async Task Weights_and_quota_set_on_the_master_reach_the_allocator()
    {
        await using var fixture = await StartAsync();
        await fixture.AddAgentAsync("cpus:4;mem:4096");
        await fixture.Master.SetQuotaAsync("capped", ResourceQuantities.Empty, ResourceQuantities.Parse("cpus:1;mem:1024"));
        var (_, stream) = await fixture.AddFrameworkAsync(new FrameworkInfo { User = "u", Name = "capped", Role = "capped" });

        var offer = (await NextAsync<Event>(stream)).Offers!.Offers![0];

        Assert.Equal(1.0, offer.Resources!.Single(r => r.Name == "cpus").Scalar!.Value);
        Assert.Equal(1024.0, offer.Resources!.Single(r => r.Name == "mem").Scalar!.Value);
    }

    private static async Task<AllocationReport> Eventually(MasterFixture fixture, Func<AllocationReport, bool> condition)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            var report = await fixture.Master.GetAllocationReportAsync();
            if (condition(report))
            {
                return report;
            }

            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10, deadline.Token);
        }
    }
}
