using System.Globalization;
using Mesos.Orleans.AgentHost.Tasks;

namespace Mesos.Orleans.AgentHost.Isolation;

/// <summary>cgroups v1: a directory per task in each of the cpu, memory, pids and freezer hierarchies
/// (cpuacct too when it is mounted apart, so usage can be read), as Mesos's cgroups isolators make them.</summary>
public sealed class CgroupsV1 : TaskCgroup
{
    private static readonly string[] Controllers = ["cpu", "cpuacct", "memory", "pids", "freezer"];
    private readonly Dictionary<string, string> _directories;

    private CgroupsV1(Dictionary<string, string> directories) => _directories = directories;

    public override IReadOnlyList<string> ProcsFiles => [.. _directories.Values.Distinct().Select(d => Path.Combine(d, "cgroup.procs"))];

    /// <summary>Makes the cgroup in every hierarchy, with no limits yet (see <see cref="Apply"/>).</summary>
    public static CgroupsV1 Prepare(IReadOnlyDictionary<string, string> mounts, string parent, string name)
    {
        var directories = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var controller in Controllers)
        {
            if (mounts.TryGetValue(controller, out var mount))
            {
                var directory = Path.Combine(mount, parent, name);
                Directory.CreateDirectory(directory);
                directories[controller] = directory;
            }
        }

        return new CgroupsV1(directories);
    }

    public override void Apply(TaskLimits limits)
    {
        var directories = _directories;
        if (limits.Cpus is { } cpus && directories.TryGetValue("cpu", out var cpu))
        {
            Write(Path.Combine(cpu, "cpu.shares"), Math.Max(2, (long)(cpus * 1024)).ToString(CultureInfo.InvariantCulture));
            Write(Path.Combine(cpu, "cpu.cfs_period_us"), TaskLimits.CfsPeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
            Write(Path.Combine(cpu, "cpu.cfs_quota_us"), Math.Max(1000, (long)(cpus * TaskLimits.CfsPeriodMicroseconds)).ToString(CultureInfo.InvariantCulture));
        }

        if (limits.MemoryBytes is { } memory && directories.TryGetValue("memory", out var mem))
        {
            Write(Path.Combine(mem, "memory.limit_in_bytes"), memory.ToString(CultureInfo.InvariantCulture));
        }

        if (limits.Pids is { } pids && directories.TryGetValue("pids", out var pidsDirectory))
        {
            Write(Path.Combine(pidsDirectory, "pids.max"), pids.ToString(CultureInfo.InvariantCulture));
        }
    }

    public override bool OomKilled() =>
        _directories.TryGetValue("memory", out var memory) && ReadCounter(Path.Combine(memory, "memory.oom_control"), "oom_kill") > 0;

    public override IReadOnlyList<int> Pids() =>
        _directories.TryGetValue("freezer", out var freezer) ? ReadPids(Path.Combine(freezer, "cgroup.procs"))
        : _directories.Values.Select(d => ReadPids(Path.Combine(d, "cgroup.procs"))).FirstOrDefault() ?? [];

    public override void KillAll()
    {
        var frozen = _directories.TryGetValue("freezer", out var freezer);
        if (frozen)
        {
            Write(Path.Combine(freezer!, "freezer.state"), "FROZEN");
        }

        foreach (var pid in Pids())
        {
            Signals.Send(pid, Signals.SIGKILL);
        }

        if (frozen)
        {
            Write(Path.Combine(freezer!, "freezer.state"), "THAWED");
        }
    }

    public override Interfaces.V1.ResourceStatistics Statistics(double timestamp) => CgroupsV1Statistics.Read(_directories, timestamp);

    public override bool TryDestroy() => Pids().Count == 0 && _directories.Values.All(TryRemove);
}
