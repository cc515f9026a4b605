using System.Globalization;
using Mesos.Orleans.AgentHost.Tasks;

namespace Mesos.Orleans.AgentHost.Isolation;

/// <summary>cgroups v2 (the unified hierarchy): one directory per task with cpu.weight, cpu.max,
/// memory.max and pids.max; cgroup.kill ends every process at once.</summary>
public sealed class CgroupsV2 : TaskCgroup
{
    private static readonly string[] Controllers = ["cpu", "memory", "pids"];
    private readonly string _directory;

    private CgroupsV2(string directory) => _directory = directory;

    public override IReadOnlyList<string> ProcsFiles => [Path.Combine(_directory, "cgroup.procs")];

    /// <summary>Makes the cgroup, with no limits yet (see <see cref="Apply"/>).</summary>
    public static CgroupsV2 Prepare(string root, string parent, string name)
    {
        // Controllers must be enabled on every level above a task's cgroup.
        var parentDirectory = Path.Combine(root, parent);
        Directory.CreateDirectory(parentDirectory);
        EnableControllers(root);
        EnableControllers(parentDirectory);
        var directory = Path.Combine(parentDirectory, name);
        Directory.CreateDirectory(directory);
        return new CgroupsV2(directory);
    }

    public override void Apply(TaskLimits limits)
    {
        var directory = _directory;
        if (limits.Cpus is { } cpus)
        {
            // cpu.weight spans 1..10000 with 100 as the default, where v1 shares use 1024.
            Write(Path.Combine(directory, "cpu.weight"), Math.Clamp((long)(cpus * 100), 1, 10_000).ToString(CultureInfo.InvariantCulture));
            Write(Path.Combine(directory, "cpu.max"), FormattableString.Invariant($"{Math.Max(1000, (long)(cpus * TaskLimits.CfsPeriodMicroseconds))} {TaskLimits.CfsPeriodMicroseconds}"));
        }

        if (limits.MemoryBytes is { } memory)
        {
            Write(Path.Combine(directory, "memory.max"), memory.ToString(CultureInfo.InvariantCulture));
        }

        if (limits.Pids is { } pids)
        {
            Write(Path.Combine(directory, "pids.max"), pids.ToString(CultureInfo.InvariantCulture));
        }
    }

    public override bool OomKilled() => ReadCounter(Path.Combine(_directory, "memory.events"), "oom_kill") > 0;

    public override IReadOnlyList<int> Pids() => ReadPids(Path.Combine(_directory, "cgroup.procs"));

    public override void KillAll()
    {
        var kill = Path.Combine(_directory, "cgroup.kill");
        if (File.Exists(kill))
        {
            Write(kill, "1");
            return;
        }

        // Kernels before 5.14: freeze, kill every process, thaw.
        Write(Path.Combine(_directory, "cgroup.freeze"), "1");
        foreach (var pid in Pids())
        {
            Signals.Send(pid, Signals.SIGKILL);
        }

        Write(Path.Combine(_directory, "cgroup.freeze"), "0");
    }

    public override Interfaces.V1.ResourceStatistics Statistics(double timestamp) => CgroupsV2Statistics.Read(_directory, timestamp);

    public override bool TryDestroy() => Pids().Count == 0 && TryRemove(_directory);

    private static void EnableControllers(string directory)
    {
        var available = File.ReadAllText(Path.Combine(directory, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var wanted = Controllers.Where(available.Contains).Select(c => "+" + c);
        Write(Path.Combine(directory, "cgroup.subtree_control"), string.Join(' ', wanted));
    }
}
