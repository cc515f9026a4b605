namespace Mesos.Orleans.AgentHost.Isolation;

/// <summary>Finds how this host mounts cgroups (v2 unified, or v1 per controller, detected from
/// /proc/self/mounts) and makes task cgroups under one parent, <c>mesos_orleans</c>.</summary>
public sealed class CgroupIsolator
{
    public const string Parent = "mesos_orleans";

    private readonly string? _unifiedRoot;
    private readonly Dictionary<string, string> _v1Mounts;

    private CgroupIsolator(string? unifiedRoot, Dictionary<string, string> v1Mounts)
    {
        _unifiedRoot = unifiedRoot;
        _v1Mounts = v1Mounts;
    }

    /// <summary>"cgroups v1" or "cgroups v2".</summary>
    public string Version => _unifiedRoot is null ? "cgroups v1" : "cgroups v2";

    /// <summary>The isolator for this host, or null when cgroups cannot be used (not mounted, not root).</summary>
    public static CgroupIsolator? Detect()
    {
        if (!File.Exists("/proc/self/mounts") || System.Environment.UserName != "root")
        {
            return null;
        }

        string? unified = null;
        var v1 = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/self/mounts"))
        {
            var fields = line.Split(' ');
            if (fields.Length < 4)
            {
                continue;
            }

            if (fields[2] == "cgroup2")
            {
                unified ??= fields[1];
            }
            else if (fields[2] == "cgroup")
            {
                foreach (var option in fields[3].Split(','))
                {
                    if (option is "cpu" or "cpuacct" or "memory" or "pids" or "freezer")
                    {
                        v1.TryAdd(option, fields[1]);
                    }
                }
            }
        }

        // A host with v1 controllers mounted uses them (a hybrid host's cgroup2 mount then holds none).
        if (v1.ContainsKey("memory"))
        {
            return new CgroupIsolator(null, v1);
        }

        return unified is not null && File.Exists(Path.Combine(unified, "cgroup.controllers")) ? new CgroupIsolator(unified, v1) : null;
    }

    /// <summary>Makes a cgroup with no limits yet: the one a prestarted executor waits in, or a recovered
    /// task's (which exists already).</summary>
    public TaskCgroup Prepare(string name) =>
        _unifiedRoot is null ? CgroupsV1.Prepare(_v1Mounts, Parent, name) : CgroupsV2.Prepare(_unifiedRoot, Parent, name);

    /// <summary>Removes empty cgroups under <see cref="Parent"/> made before <paramref name="madeBefore"/>: those of
    /// prestarted executors that were killed outright (a kill -9 of the agent's whole process tree) instead of
    /// being let go. A task's cgroup is empty only from its task's end until its agent removes it, and one being
    /// prepared is younger than the cut-off, so other agents on the same host are not disturbed.</summary>
    public int RemoveEmpty(DateTimeOffset madeBefore)
    {
        var removed = 0;
        var parents = _unifiedRoot is null ? _v1Mounts.Values.Distinct().Select(m => Path.Combine(m, Parent)) : [Path.Combine(_unifiedRoot, Parent)];
        foreach (var parent in parents.Where(Directory.Exists))
        {
            foreach (var directory in Directory.EnumerateDirectories(parent))
            {
                try
                {
                    var procs = Path.Combine(directory, "cgroup.procs");
                    if (Directory.GetLastWriteTimeUtc(directory) < madeBefore.UtcDateTime && File.ReadAllText(procs).Length == 0)
                    {
                        Directory.Delete(directory);
                        removed++;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Busy after all (a process joined meanwhile), or removed by someone else.
                }
            }
        }

        return removed;
    }

    public TaskCgroup Create(string name, TaskLimits limits)
    {
        var cgroup = Prepare(name);
        cgroup.Apply(limits);
        return cgroup;
    }
}
