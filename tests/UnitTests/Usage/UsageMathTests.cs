using Mesos.Orleans.AgentHost.Usage;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Usage;

public sealed class UsageMathTests
{
    [Fact]
    public void Cpus_used_is_the_growth_of_user_and_system_time_over_the_time_between_samples()
    {
        var first = new ResourceStatistics { Timestamp = 100, CpusUserTimeSecs = 10, CpusSystemTimeSecs = 2 };
        var second = new ResourceStatistics { Timestamp = 104, CpusUserTimeSecs = 11.6, CpusSystemTimeSecs = 2.4 };

        Assert.Equal(0.5, UsageMath.CpusUsed(first, second)!.Value, precision: 9);
    }

    [Fact]
    public void Cpus_used_is_unknown_without_an_earlier_sample_a_moving_clock_or_growing_counters()
    {
        var sample = new ResourceStatistics { Timestamp = 100, CpusUserTimeSecs = 10 };

        Assert.Null(UsageMath.CpusUsed(null, sample));
        Assert.Null(UsageMath.CpusUsed(sample, new ResourceStatistics { Timestamp = 100, CpusUserTimeSecs = 11 }));
        Assert.Null(UsageMath.CpusUsed(sample, new ResourceStatistics { Timestamp = 101, CpusUserTimeSecs = 1 }));
    }

    [Fact]
    public void Host_cpus_used_is_the_busy_share_of_all_ticks_times_the_cpus()
    {
        const string before = "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50 0 0 0 0 0\n";
        const string after = "cpu  250 0 150 900 100 0 0 0 0 0\ncpu0 125 0 75 450 50 0 0 0 0 0\n";
        const string meminfo = "MemTotal:        2048000 kB\nMemFree:          100000 kB\nMemAvailable:     512000 kB\n";

        var first = HostStatistics.Parse(1, before, meminfo);
        var second = HostStatistics.Parse(2, after, meminfo);

        // 200 busy ticks of 400 in total on 2 cpus: one cpu busy.
        Assert.Equal(1.0, UsageMath.HostCpusUsed(first, second, cpus: 2)!.Value, precision: 9);
        Assert.Equal(2048000ul * 1024, second.MemTotalBytes);
        Assert.Equal(512000ul * 1024, second.MemAvailableBytes);
        Assert.Null(UsageMath.HostCpusUsed(null, second, cpus: 2));
    }

    [Theory]
    [InlineData("5secs", 5)]
    [InlineData("500ms", 0.5)]
    [InlineData("1mins", 60)]
    [InlineData("2", 2)]
    [InlineData("2s", 2)]
    [InlineData(null, 5)]
    public void Usage_interval_reads_mesos_durations(string? text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), UsageInterval.Parse(text));

    [Theory]
    [InlineData("0secs")]
    [InlineData("-1")]
    [InlineData("soon")]
    public void Usage_interval_refuses_what_is_not_a_positive_duration(string text) =>
        Assert.Throws<ArgumentException>(() => UsageInterval.Parse(text));
}
