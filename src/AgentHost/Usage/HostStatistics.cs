using System.Globalization;

namespace Mesos.Orleans.AgentHost.Usage;

/// <summary>The host's cumulative CPU time (the first "cpu" line of /proc/stat, in USER_HZ ticks) and its
/// memory (/proc/meminfo), for the host totals in usage reports.</summary>
public readonly record struct HostStatistics(double Timestamp, long BusyTicks, long TotalTicks, ulong MemTotalBytes, ulong MemAvailableBytes)
{
    public static HostStatistics Read(double timestamp) =>
        Parse(timestamp, TryRead("/proc/stat"), TryRead("/proc/meminfo"));

    /// <summary>Busy time is everything but idle and iowait; guest time is already inside user and nice.</summary>
    public static HostStatistics Parse(double timestamp, string? procStat, string? meminfo)
    {
        long busy = 0, total = 0;
        var cpu = procStat?.Split('\n').FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (cpu is not null)
        {
            var fields = cpu.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal [guest guest_nice]
            var counted = fields.Take(8).ToArray();
            total = counted.Sum();
            busy = total - counted.ElementAtOrDefault(3) - counted.ElementAtOrDefault(4);
        }

        ulong memTotal = 0, memAvailable = 0;
        foreach (var line in (meminfo ?? string.Empty).Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && ulong.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kilobytes))
            {
                if (parts[0] == "MemTotal:")
                {
                    memTotal = kilobytes * 1024;
                }
                else if (parts[0] == "MemAvailable:")
                {
                    memAvailable = kilobytes * 1024;
                }
            }
        }

        return new HostStatistics(timestamp, busy, total, memTotal, memAvailable);
    }

    private static string? TryRead(string path)
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
