namespace Mesos.Orleans.Executor;

/// <summary>The executor's moves between cgroups. It joins the task's cgroup before it starts anything, so
/// the task is born there and nothing has to be migrated while it runs.</summary>
internal static unsafe class Cgroups
{
    /// <summary>Writes the executor's pid to a cgroup.procs file with plain open/write: a FileStream's setup
    /// would be most of the cost of this step.</summary>
    public static void Join(string procs)
    {
        var fd = Libc.Open(procs, Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IOException(Libc.Describe($"Failed to open {procs}"));
        }

        var bytes = System.Text.Encoding.ASCII.GetBytes(Libc.GetPid().ToString(System.Globalization.CultureInfo.InvariantCulture));
        fixed (byte* start = bytes)
        {
            var written = Libc.Write(fd, start, bytes.Length);
            var failure = written == bytes.Length ? null : Libc.Describe($"Failed to join the cgroup {procs}");
            _ = Libc.Close(fd);
            if (failure is not null)
            {
                throw new IOException(failure);
            }
        }
    }

    /// <summary>Moves the executor back to the root of each hierarchy and removes the cgroups it had joined:
    /// what a standby that was never given a task does, so that it leaves no empty cgroup behind (the agent
    /// lays them out as MOUNT/mesos_orleans/NAME). Best effort: it is on its way out.</summary>
    public static void Leave(IEnumerable<string> procsFiles)
    {
        foreach (var procs in procsFiles)
        {
            var directory = Path.GetDirectoryName(procs);
            var root = directory is null ? null : Path.GetDirectoryName(Path.GetDirectoryName(directory));
            if (root is null)
            {
                continue;
            }

            try
            {
                Join(Path.Combine(root, "cgroup.procs"));
            }
            catch (IOException)
            {
                continue;
            }

            _ = Libc.RmDir(directory!);
        }
    }
}
