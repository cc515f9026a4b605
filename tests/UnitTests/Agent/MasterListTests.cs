using Mesos.Orleans.Interfaces.Http;

namespace Mesos.Orleans.UnitTests.Agent;

/// <summary>The masters an agent was given: redirects move it to the leader, failures to the master after
/// the one that failed.</summary>
public sealed class MasterListTests
{
    private static readonly Uri A = new("http://10.0.0.1:5050");
    private static readonly Uri B = new("http://10.0.0.2:5050/");
    private static readonly Uri C = new("http://10.0.0.3:5050/some/path");

    [Fact]
    public void Failures_go_round_the_masters_in_order()
    {
        var masters = new MasterList([A, B, C]);

        Assert.Equal("http://10.0.0.1:5050/", masters.Current.ToString());
        masters.MoveOn();
        Assert.Equal("http://10.0.0.2:5050/", masters.Current.ToString());
        masters.MoveOn();
        Assert.Equal("http://10.0.0.3:5050/", masters.Current.ToString());
        masters.MoveOn();
        Assert.Equal("http://10.0.0.1:5050/", masters.Current.ToString());
    }

    [Fact]
    public void After_a_redirect_to_a_listed_master_that_fails_the_next_is_the_one_after_it()
    {
        var masters = new MasterList([A, B, C]);

        Assert.True(masters.FollowRedirect(new Uri("//10.0.0.3:5050/api/v1/agent", UriKind.Relative)));
        Assert.Equal("http://10.0.0.3:5050/", masters.Current.ToString());
        masters.MoveOn();

        // Not B (where it stood before the redirect counted on): A, the master after C.
        Assert.Equal("http://10.0.0.1:5050/", masters.Current.ToString());
    }

    [Fact]
    public void After_a_redirect_to_an_unlisted_address_that_fails_the_first_master_is_next()
    {
        var masters = new MasterList([A, B]);
        masters.StartAt(1);

        Assert.True(masters.FollowRedirect(new Uri("http://leader.example:5050/master/redirect")));
        Assert.Equal("http://leader.example:5050/", masters.Current.ToString());
        masters.MoveOn();
        Assert.Equal("http://10.0.0.1:5050/", masters.Current.ToString());
    }

    [Fact]
    public void A_redirect_without_a_host_is_not_followed()
    {
        var masters = new MasterList([A, B]);

        Assert.False(masters.FollowRedirect(null));
        Assert.Equal("http://10.0.0.1:5050/", masters.Current.ToString());
    }

    [Fact]
    public void Clients_can_start_spread_over_the_list()
    {
        var masters = new MasterList([A, B, C]);

        masters.StartAt(4);

        Assert.Equal("http://10.0.0.2:5050/", masters.Current.ToString());
    }
}
