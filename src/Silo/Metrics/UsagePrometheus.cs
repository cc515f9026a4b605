using System.Globalization;
using System.Text;

namespace Mesos.Orleans.Silo.Metrics;

/// <summary>Real usage against allocation as Prometheus families, from the master/usage/… snapshot keys.
/// Separate families from mesos_master_cpus (whose type="used" means allocated, as in mesos_exporter), so
/// existing dashboards keep their meaning.</summary>
public static class UsagePrometheus
{
    private const string RolesPrefix = "master/usage/roles/";
    private const double BytesPerMegabyte = 1024 * 1024;

    public static void Append(StringBuilder text, IReadOnlyDictionary<string, double> m)
    {
        Family(text, "mesos_master_usage_cpus", "gauge", "CPUs allocated to tasks, used by them (measured by the agents) and in total.",
            [("type=\"allocated\"", Get(m, "master/usage/cpus_allocated")), ("type=\"used\"", Get(m, "master/usage/cpus_used")), ("type=\"total\"", Get(m, "master/usage/cpus_total"))]);
        Family(text, "mesos_master_usage_mem_bytes", "gauge", "Memory allocated to tasks, used by them (resident, measured by the agents) and in total.",
            [("type=\"allocated\"", Get(m, "master/usage/mem_allocated") * BytesPerMegabyte), ("type=\"used\"", Get(m, "master/usage/mem_used") * BytesPerMegabyte),
             ("type=\"total\"", Get(m, "master/usage/mem_total") * BytesPerMegabyte)]);

        var roles = m.Keys.Where(k => k.StartsWith(RolesPrefix, StringComparison.Ordinal))
            .Select(k => k[RolesPrefix.Length..k.LastIndexOf('/')])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        Family(text, "mesos_master_role_usage_cpus", "gauge", "CPUs allocated to and used by each role's tasks.",
            roles.SelectMany(r => new[] { (Labels(r, "allocated"), Get(m, $"{RolesPrefix}{r}/cpus_allocated")), (Labels(r, "used"), Get(m, $"{RolesPrefix}{r}/cpus_used")) }));
        Family(text, "mesos_master_role_usage_mem_bytes", "gauge", "Memory allocated to and used by each role's tasks.",
            roles.SelectMany(r => new[]
            {
                (Labels(r, "allocated"), Get(m, $"{RolesPrefix}{r}/mem_allocated") * BytesPerMegabyte),
                (Labels(r, "used"), Get(m, $"{RolesPrefix}{r}/mem_used") * BytesPerMegabyte),
            }));
        Family(text, "mesos_master_usage_reports_total", "counter", "Agents' usage reports by outcome (dropped: the master was busy).",
            [("outcome=\"accepted\"", Get(m, "master/usage/reports_accepted")), ("outcome=\"dropped\"", Get(m, "master/usage/reports_dropped")),
             ("outcome=\"rejected\"", Get(m, "master/usage/reports_rejected"))]);
    }

    private static double Get(IReadOnlyDictionary<string, double> m, string name) => m.GetValueOrDefault(name);

    private static string Labels(string role, string type) =>
        $"role=\"{role.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\",type=\"{type}\"";

    private static void Family(StringBuilder text, string name, string type, string help, IEnumerable<(string Labels, double Value)> samples)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in samples)
        {
            text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
