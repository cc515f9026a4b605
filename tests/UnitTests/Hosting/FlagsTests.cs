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

    [Fact]
    public void Flags_come_from_the_command_line_or_from_MESOS_variables_in_the_environment()
    {
        var variable = "MESOS_FLAGS_TEST_" + Guid.NewGuid().ToString("N").ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, "from-env");
        try
        {
            var name = variable["MESOS_".Length..].ToLowerInvariant();
            Assert.Equal("from-env", Flags.FromArgs([]).Get(name));
            Assert.Equal("from-args", Flags.FromArgs([$"--{name}", "from-args"]).Get(name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("10secs", 10.0)]
    [InlineData("500ms", 0.5)]
    [InlineData("2mins", 120.0)]
    [InlineData("3", 3.0)]
    public void Durations_take_Mesos_units(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Flags.FromArgs(["--lease_ttl", text]).GetSeconds("lease_ttl", TimeSpan.Zero));
    }
}
