using System.Globalization;

namespace Mesos.Orleans.Benchmarks.ScaleOut;

/// <summary>A cgroup that holds processes to a CPU share (a CFS quota), on cgroup v1 (the cpu controller's own
/// hierarchy) or v2 (the unified one, cpu.max). Disposal moves the processes back to the root and removes it.</summary>
internal sealed class CpuCgroup : IDisposable
{
    private const int PeriodMicroseconds = 100_000;
    private readonly string _path;
    private readonly string _root;

    private CpuCgroup(string path, string root)
    {
        _path = path;
        _root = root;
    }

    public static CpuCgroup Create(string name, double cpus)
    {
        var quota = ((int)Math.Round(cpus * PeriodMicroseconds)).ToString(CultureInfo.InvariantCulture);
        var period = PeriodMicroseconds.ToString(CultureInfo.InvariantCulture);
        if (File.Exists("/sys/fs/cgroup/cgroup.controllers"))
        {
            var root = "/sys/fs/cgroup";
            File.WriteAllText(Path.Combine(root, "cgroup.subtree_control"), "+cpu");
            var path = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
            File.WriteAllText(Path.Combine(path, "cpu.max"), $"{quota} {period}");
            return new CpuCgroup(path, root);
        }

        var v1Root = "/sys/fs/cgroup/cpu";
        var v1 = Directory.CreateDirectory(Path.Combine(v1Root, name)).FullName;
        File.WriteAllText(Path.Combine(v1, "cpu.cfs_period_us"), period);
        File.WriteAllText(Path.Combine(v1, "cpu.cfs_quota_us"), quota);
        return new CpuCgroup(v1, v1Root);
    }

    /// <summary>Moves a process, all its threads, into the cgroup.</summary>
    public void Add(int pid) => File.WriteAllText(Path.Combine(_path, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>How long its processes were held back by the quota: proof that the share was the limit.</summary>
    public TimeSpan Throttled()
    {
        foreach (var line in File.ReadAllLines(Path.Combine(_path, "cpu.stat")))
        {
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "throttled_time": // v1, nanoseconds
                    return TimeSpan.FromMicroseconds(long.Parse(parts[1], CultureInfo.InvariantCulture) / 1000.0);
                case "throttled_usec": // v2
                    return TimeSpan.FromMicroseconds(long.Parse(parts[1], CultureInfo.InvariantCulture));
                default:
                    break;
            }
        }

        return TimeSpan.Zero;
    }

    public void Dispose()
    {
        foreach (var pid in File.ReadAllLines(Path.Combine(_path, "cgroup.procs")))
        {
            try
            {
                File.WriteAllText(Path.Combine(_root, "cgroup.procs"), pid);
            }
            catch (IOException)
            {
                // The process exited meanwhile.
            }
        }

        try
        {
            Directory.Delete(_path);
        }
        catch (IOException)
        {
            // A process still exiting keeps it busy a moment; the next run reuses the name.
        }
    }
}
