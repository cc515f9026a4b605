namespace Mesos.Orleans.AgentHost.Usage;

/// <summary>What a sandbox holds on disk, like Mesos's posix/disk isolator's du: the sizes of its files,
/// without following links (persistent volumes are linked in and are not the sandbox's).</summary>
public static class SandboxDisk
{
    /// <summary>Stops counting past this many entries, so one sandbox full of small files cannot stall a sample.</summary>
    public const int MaxEntries = 100_000;

    public static ulong? UsedBytes(string sandbox)
    {
        if (!Directory.Exists(sandbox))
        {
            return null;
        }

        ulong used = 0;
        var entries = 0;
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(sandbox));
        while (pending.TryPop(out var directory) && entries < MaxEntries)
        {
            try
            {
                foreach (var entry in directory.EnumerateFileSystemInfos())
                {
                    if (++entries >= MaxEntries)
                    {
                        break;
                    }

                    if (entry.LinkTarget is not null)
                    {
                        continue;
                    }

                    if (entry is FileInfo file)
                    {
                        used += (ulong)file.Length;
                    }
                    else if (entry is DirectoryInfo child)
                    {
                        pending.Push(child);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A directory removed while walking it: count what was there.
            }
        }

        return used;
    }
}
