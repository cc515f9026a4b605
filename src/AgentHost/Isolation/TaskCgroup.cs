namespace Mesos.Orleans.AgentHost.Isolation;

/// <summary>One task's cgroup (one directory per controller on v1, one on v2). The task's shell writes its
/// own pid into <see cref="ProcsFiles"/> before it runs the command, so nothing of the task ever runs
/// outside the cgroup and no process has to be migrated afterwards.</summary>
public abstract class TaskCgroup
{
    /// <summary>The cgroup.procs files the task's first process joins.</summary>
    public abstract IReadOnlyList<string> ProcsFiles { get; }

    /// <summary>Sets the task's limits (cpu shares and quota, memory, pids).</summary>
    public abstract void Apply(TaskLimits limits);

    /// <summary>True when the kernel's OOM killer killed a process of the cgroup.</summary>
    public abstract bool OomKilled();

    /// <summary>Every process in the cgroup, whatever process group or session it moved to.</summary>
    public abstract IReadOnlyList<int> Pids();

    /// <summary>Kills every process in the cgroup at once (freezer on v1, cgroup.kill on v2), so none can
    /// fork away while it is being killed.</summary>
    public abstract void KillAll();

    /// <summary>The cgroup's usage now (cpu times and throttling, memory, processes), under Mesos's field names.</summary>
    public abstract Interfaces.V1.ResourceStatistics Statistics(double timestamp);

    /// <summary>Removes the cgroup once its processes are gone; false while some remain.</summary>
    public abstract bool TryDestroy();

    protected static void Write(string path, string value) => File.WriteAllText(path, value);

    protected static IReadOnlyList<int> ReadPids(string procsFile) =>
        File.Exists(procsFile)
            ? [.. File.ReadAllLines(procsFile).Where(l => l.Length > 0).Select(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture))]
            : [];

    /// <summary>The counter named <paramref name="key"/> in a "key value" per line file (memory.events, …).</summary>
    protected static long ReadCounter(string path, string key)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == key)
            {
                return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    protected static bool TryRemove(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory);
            }

            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
