using Mesos.Orleans.AgentHost;

namespace Mesos.Orleans.UnitTests.Hosting;

public sealed class FlagsTests
{
    [Theory]
    [InlineData(new[] { "--dev", "--port", "1" }, new[] { "--dev=true", "--port", "1" })]
    [InlineData(new[] { "--port", "1", "--dev" }, new[] { "--port", "1", "--dev=true" })]
    [InlineData(new[] { "--no-dev" }, new[] { "--dev=false" })]
    [InlineData(new[] { "--work_dir=/x", "--dev" }, new[] { "--work_dir=/x", "--dev=true" })]
    public void A_lone_boolean_flag_is_made_explicit(string[] args, string[] expected)
    {
        Assert.Equal(expected, Flags.Normalize(args));
    }
}
