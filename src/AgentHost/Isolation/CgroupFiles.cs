using System.Globalization;

namespace Mesos.Orleans.AgentHost.Isolation;

/// <summary>Reads the small text files cgroups expose. A file that is missing (controller not mounted,
/// kernel too old, cgroup just removed) reads as absent rather than failing a whole sample.</summary>
public static class CgroupFiles
{
    /// <summary>"key value" lines (cpu.stat, memory.stat, cpuacct.stat) as a map.</summary>
    public static Dictionary<string, long> KeyValues(string? content)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in (content ?? string.Empty).Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                values[parts[0]] = value;
            }
        }

        return values;
    }

    /// <summary>A file holding one number; null for a missing file or "max" (no limit).</summary>
    public static long? Number(string? content) =>
        long.TryParse(content?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Lines of cgroup.procs: the processes in the cgroup.</summary>
    public static uint Lines(string? content) =>
        (uint)(content ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    public static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
