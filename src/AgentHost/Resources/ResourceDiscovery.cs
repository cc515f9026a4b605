using System.Globalization;
using Mesos.Orleans.Interfaces.Resources;

namespace Mesos.Orleans.AgentHost.Resources;

/// <summary>What the agent offers: detected cpus, mem, disk and ports, with any resource named in
/// <c>--resources</c> replacing the detected one of that name (as Mesos does).</summary>
public static class ResourceDiscovery
{
    public const string DefaultPorts = "[31000-32000]";

    public static ResourceBag Discover(string? flag, string workDir)
    {
        var configured = flag is null ? ResourceBag.Empty : ResourceBag.Parse(flag);
        var names = configured.Quantities.Select(q => q.Key).ToHashSet(StringComparer.Ordinal);
        var detected = new List<string>();
        if (!names.Contains("cpus"))
        {
            detected.Add($"cpus:{System.Environment.ProcessorCount}");
        }

        if (!names.Contains("mem"))
        {
            detected.Add($"mem:{DetectMemoryMegabytes()}");
        }

        if (!names.Contains("disk"))
        {
            detected.Add($"disk:{DetectDiskMegabytes(workDir)}");
        }

        if (!names.Contains("ports"))
        {
            detected.Add($"ports:{DefaultPorts}");
        }

        return detected.Count == 0 ? configured : configured.Add(ResourceBag.Parse(string.Join(';', detected)));
    }

    /// <summary>Total memory less what the host keeps for itself: half of it, at most 1 GiB (Mesos's rule).</summary>
    private static long DetectMemoryMegabytes()
    {
        var totalMb = 1024L;
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                totalMb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
                break;
            }
        }

        return totalMb - Math.Min(1024, totalMb / 2);
    }

    /// <summary>Free space of the work directory's filesystem less half of it, at most 5 GiB (Mesos's rule).</summary>
    private static long DetectDiskMegabytes(string workDir)
    {
        Directory.CreateDirectory(workDir);
        var totalMb = new DriveInfo(workDir).TotalSize / (1024 * 1024);
        return totalMb - Math.Min(5 * 1024, totalMb / 2);
    }
}
