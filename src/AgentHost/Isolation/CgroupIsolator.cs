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

    public TaskCgroup Create(string containerId, TaskLimits limits) =>
        _unifiedRoot is null
            ? CgroupsV1.Create(_v1Mounts, Parent, containerId, limits)
            : CgroupsV2.Create(_unifiedRoot, Parent, containerId, limits);
}
