using Mesos.Orleans.Grains.Allocation;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>The worked examples of the DRF paper (Ghodsi et al., NSDI 2011), replayed as frameworks that
/// launch one task per offer and hand the rest back.</summary>
public sealed class DrfOracleTests
{
    [Fact]
    public void Paper_example_9_cpus_18_gb_ends_with_A_3_tasks_and_B_2()
    {
        var tasks = RunProgressiveFilling("cpus:9;mem:18432", ("A", "cpus:1;mem:4096"), ("B", "cpus:3;mem:1024"));

        Assert.Equal(3, tasks["A"]);
        Assert.Equal(2, tasks["B"]);
    }

    [Fact]
    public void Sharing_incentive_example_30_30_ends_with_5_and_15_tasks()
    {
        var tasks = RunProgressiveFilling("cpus:30;mem:30720", ("D1", "cpus:1;mem:3072"), ("D2", "cpus:1;mem:1024"));

        Assert.Equal(5, tasks["D1"]);
        Assert.Equal(15, tasks["D2"]);
    }

    /// <summary>Each run offers the agent to the framework with the smallest dominant share; it launches one
    /// task if its demand fits, keeps that task's resources and returns the rest; a framework whose task no
    /// longer fits declines for good. Ends when nothing is offered.</summary>
    private static Dictionary<string, int> RunProgressiveFilling(string agentResources, params (string Name, string Demand)[] frameworks)
    {
        var allocator = new HierarchicalAllocator(new AllocatorOptions());
        var agent = new AgentId("agent");
        allocator.AddAgent(agent, "host", ResourceBag.Parse(agentResources));
        var demands = frameworks.ToDictionary(f => new FrameworkId(f.Name), f => ResourceBag.Parse(f.Demand));
        var tasks = frameworks.ToDictionary(f => f.Name, _ => 0);
        foreach (var id in demands.Keys)
        {
            allocator.AddFramework(id, ["*"]);
        }

        for (var run = 0; run < 1000; run++)
        {
            var offers = allocator.Allocate();
            if (offers.Count == 0)
            {
                return tasks;
            }

            foreach (var offer in offers)
            {
                var demand = demands[offer.FrameworkId].WithAllocationRole(offer.Role);
                if (offer.Resources.Contains(demand))
                {
                    tasks[offer.FrameworkId.Value]++;
                    allocator.RecoverResources(offer.FrameworkId, offer.AgentId, offer.Resources.Subtract(demand));
                }
                else
                {
                    allocator.RecoverResources(offer.FrameworkId, offer.AgentId, offer.Resources, TimeSpan.FromDays(365));
                }
            }
        }

        throw new InvalidOperationException("Progressive filling did not settle");
    }
}
