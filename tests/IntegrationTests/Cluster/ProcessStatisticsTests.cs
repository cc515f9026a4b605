using Mesos.Orleans.Silo.Cluster;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Statistics;

namespace Mesos.Orleans.IntegrationTests.Cluster;

/// <summary>The silo's CPU and memory figures, read from the process's own counters instead of Orleans'
/// runtime event listener.</summary>
public sealed class ProcessStatisticsTests
{
    [Fact]
    public void Cpu_share_is_process_cpu_time_over_wall_time_on_all_cores()
    {
        var time = new ManualTimeProvider();
        var cpu = TimeSpan.Zero;
        var statistics = new ProcessStatistics(time, () => cpu);

        time.Advance(TimeSpan.FromSeconds(2));
        cpu += TimeSpan.FromSeconds(Environment.ProcessorCount); // half of every core for 2 s
        var stats = statistics.GetEnvironmentStatistics();

        Assert.Equal(50f, stats.RawCpuUsagePercentage, 0.01f);
        Assert.Equal(50f, stats.FilteredCpuUsagePercentage, 0.01f);
        Assert.True(stats.MaximumAvailableMemoryBytes > 0);
        Assert.InRange(stats.RawMemoryUsageBytes, 1, stats.MaximumAvailableMemoryBytes);
        Assert.Equal(stats.MaximumAvailableMemoryBytes, stats.RawMemoryUsageBytes + stats.RawAvailableMemoryBytes);
    }

    [Fact]
    public void A_spike_moves_the_filtered_share_only_part_of_the_way_and_a_fresh_sample_is_reused()
    {
        var time = new ManualTimeProvider();
        var cpu = TimeSpan.Zero;
        var statistics = new ProcessStatistics(time, () => cpu);
        time.Advance(TimeSpan.FromSeconds(1));
        statistics.GetEnvironmentStatistics(); // idle: 0 %

        time.Advance(TimeSpan.FromSeconds(1));
        cpu += TimeSpan.FromSeconds(Environment.ProcessorCount); // every core busy
        var spike = statistics.GetEnvironmentStatistics();
        time.Advance(TimeSpan.FromMilliseconds(100));
        cpu += TimeSpan.FromSeconds(Environment.ProcessorCount);
        var again = statistics.GetEnvironmentStatistics();

        Assert.Equal(100f, spike.RawCpuUsagePercentage, 0.01f);
        Assert.InRange(spike.FilteredCpuUsagePercentage, 1f, 99f);
        Assert.Equal(spike.RawCpuUsagePercentage, again.RawCpuUsagePercentage);
    }

    [Fact]
    public void The_silo_mesos_master_configures_uses_these_statistics()
    {
        var workDir = Directory.CreateTempSubdirectory("silo-stats-").FullName;
        try
        {
            var builder = Host.CreateApplicationBuilder();
            var options = new SiloOptions { SiloPort = FreePort.Next(), GatewayPort = FreePort.Next() };
            builder.UseOrleans(silo => SiloSetup.Configure(silo, options, "127.0.0.1", workDir));
            using var host = builder.Build();

            Assert.IsType<ProcessStatistics>(host.Services.GetRequiredService<IEnvironmentStatisticsProvider>());
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }
}
