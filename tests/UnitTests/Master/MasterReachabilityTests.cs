using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Testing.Time;

namespace Mesos.Orleans.UnitTests.Master;

public sealed class MasterReachabilityTests
{
    [Fact]
    public void Calls_are_refused_for_a_window_after_a_failure_and_the_first_failure_of_a_window_says_so()
    {
        var time = new ManualTimeProvider();
        var reachability = new MasterReachability(new LocalMaster(), time);
        Assert.False(reachability.ShouldRefuse);

        Assert.True(reachability.Failed());
        Assert.True(reachability.ShouldRefuse);
        time.Advance(MasterReachability.Window / 2);
        Assert.False(reachability.Failed()); // the same window, extended
        time.Advance(MasterReachability.Window - TimeSpan.FromMilliseconds(1));
        Assert.True(reachability.ShouldRefuse);

        time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.False(reachability.ShouldRefuse);
        Assert.True(reachability.Failed());
    }

    [Fact]
    public void A_call_that_reaches_the_master_opens_the_door_at_once()
    {
        var reachability = new MasterReachability(new LocalMaster(), new ManualTimeProvider());
        reachability.Failed();
        Assert.True(reachability.ShouldRefuse);

        reachability.Succeeded();
        Assert.False(reachability.ShouldRefuse);
        Assert.True(reachability.Failed());
    }
}
