using System.Collections.Concurrent;
using Mesos.Orleans.AgentHost.Tasks;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Usage;

/// <summary>Samples every live task's cgroup and sandbox, and the host, once per --usage_interval, and
/// keeps the latest samples for /monitor/statistics and the USAGE report. Each sample keeps the one
/// before it only long enough to compute the CPUs used in between.</summary>
public sealed class UsageMonitor(AgentDaemon agent, TimeProvider time)
{
    private readonly ConcurrentDictionary<(FrameworkId Framework, TaskId Task), TaskSample> _latest = new();
    private HostStatistics? _previousHost;

    public IReadOnlyCollection<TaskSample> Latest => (IReadOnlyCollection<TaskSample>)_latest.Values;

    public HostUsage? Host { get; private set; }

    /// <summary>Seconds since the epoch of the latest sampling pass; null before the first.</summary>
    public double? Timestamp { get; private set; }

    /// <summary>One sampling pass. Not reentrant: the reporter calls it from one loop.</summary>
    public void Sample()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        var host = HostStatistics.Read(now);
        Host = new HostUsage
        {
            CpusTotal = System.Environment.ProcessorCount,
            CpusUsed = UsageMath.HostCpusUsed(_previousHost, host, System.Environment.ProcessorCount),
            MemTotalBytes = host.MemTotalBytes,
            MemUsedBytes = host.MemTotalBytes - Math.Min(host.MemTotalBytes, host.MemAvailableBytes),
        };
        _previousHost = host;

        var live = new HashSet<(FrameworkId, TaskId)>();
        foreach (var task in agent.Tasks.Where(t => !TaskStates.IsTerminal(t.State)))
        {
            var key = (task.FrameworkId, task.Id);
            live.Add(key);
            var statistics = Measure(task, now);
            var previous = _latest.TryGetValue(key, out var earlier) ? earlier.Statistics : null;
            _latest[key] = new TaskSample(task, statistics, UsageMath.CpusUsed(previous, statistics));
        }

        foreach (var key in _latest.Keys.Where(k => !live.Contains(k)))
        {
            _latest.TryRemove(key, out _);
        }

        Timestamp = now;
    }

    /// <summary>The report for the master: the host and at most <see cref="AgentUsage.MaxTasks"/> tasks, each with
    /// its <see cref="ReportedStatistics"/>.</summary>
    public AgentUsage Report() => new()
    {
        Timestamp = Timestamp,
        Host = Host,
        // The master knows each task's executor: the report names only the framework and the task.
        Tasks = [.. _latest.Values.Take(AgentUsage.MaxTasks).Select(s => new TaskUsage
        {
            FrameworkId = s.Task.FrameworkId,
            TaskId = s.Task.Id,
            CpusUsed = s.CpusUsed,
            Statistics = ReportedStatistics.Of(s.Statistics),
        })],
    };

    private static ResourceStatistics Measure(RunningTask task, double now)
    {
        var statistics = task.Cgroup?.Statistics(now) ?? new ResourceStatistics { Timestamp = now };
        statistics.DiskUsedBytes = SandboxDisk.UsedBytes(task.Sandbox);
        var resources = ResourceBag.FromWire(task.Info.Resources);
        var disk = resources.ScalarOf("disk").ToDouble();
        statistics.DiskLimitBytes = disk > 0 ? (ulong)(disk * 1024 * 1024) : null;
        return statistics;
    }
}
