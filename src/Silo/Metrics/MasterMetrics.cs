using Mesos.Orleans.Grains.Master;
using System.Globalization;
using Mesos.Orleans.Grains.Core;

namespace Mesos.Orleans.Silo.Metrics;

/// <summary>The master's metrics with the host's system metrics added, as Mesos's /metrics/snapshot has them.</summary>
public sealed class MasterMetrics(MasterAccess master)
{
    public async Task<SortedDictionary<string, double>> SnapshotAsync()
    {
        var metrics = await master.Current.GetMetrics();
        metrics["system/cpus_total"] = System.Environment.ProcessorCount;
        if (File.Exists("/proc/loadavg"))
        {
            var load = File.ReadAllText("/proc/loadavg").Split(' ');
            metrics["system/load_1min"] = double.Parse(load[0], CultureInfo.InvariantCulture);
            metrics["system/load_5min"] = double.Parse(load[1], CultureInfo.InvariantCulture);
            metrics["system/load_15min"] = double.Parse(load[2], CultureInfo.InvariantCulture);
        }

        if (File.Exists("/proc/meminfo"))
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts[0] == "MemTotal:")
                {
                    metrics["system/mem_total_bytes"] = double.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                }
                else if (parts[0] == "MemAvailable:")
                {
                    metrics["system/mem_free_bytes"] = double.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        return metrics;
    }
}
