using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Usage;

/// <summary>Rates from two cumulative samples, as a consumer of /monitor/statistics computes them.</summary>
public static class UsageMath
{
    /// <summary>CPUs used on average between two samples of one task: the growth of user plus system time
    /// over the time between them. Null without a usable earlier sample (first sample, clock not moving, a
    /// counter that went backwards because the cgroup was recreated).</summary>
    public static double? CpusUsed(ResourceStatistics? previous, ResourceStatistics current)
    {
        if (previous is null || current.Timestamp <= previous.Timestamp)
        {
            return null;
        }

        var before = (previous.CpusUserTimeSecs ?? 0) + (previous.CpusSystemTimeSecs ?? 0);
        var after = (current.CpusUserTimeSecs ?? 0) + (current.CpusSystemTimeSecs ?? 0);
        return after < before ? null : (after - before) / (current.Timestamp - previous.Timestamp);
    }

    /// <summary>CPUs busy on the whole host between two samples: the busy share of all ticks times the CPUs.</summary>
    public static double? HostCpusUsed(HostStatistics? previous, HostStatistics current, int cpus)
    {
        if (previous is not { } before || current.TotalTicks <= before.TotalTicks)
        {
            return null;
        }

        var busy = current.BusyTicks - before.BusyTicks;
        return Math.Max(0, (double)busy / (current.TotalTicks - before.TotalTicks) * cpus);
    }
}
