using System.Globalization;

namespace Mesos.Orleans.AgentHost;

/// <summary>Reads Mesos-style flags from configuration: <c>--work_dir</c> and <c>--work-dir</c> alike, or the
/// environment variable <c>MESOS_WORK_DIR</c>, as Mesos operators expect.</summary>
public sealed class Flags(IConfiguration configuration)
{
    public string? Get(string name)
    {
        var underscored = name.Replace('-', '_');
        return configuration[underscored]
            ?? configuration[underscored.Replace('_', '-')]
            ?? configuration["MESOS_" + underscored.ToUpperInvariant()];
    }

    public string Get(string name, string fallback) => Get(name) ?? fallback;

    public int GetInt(string name, int fallback) =>
        Get(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public TimeSpan GetSeconds(string name, TimeSpan fallback) =>
        Get(name) is { } text ? TimeSpan.FromSeconds(double.Parse(text.TrimEnd('s'), CultureInfo.InvariantCulture)) : fallback;

    public bool GetBool(string name) =>
        Get(name) is { } text && (text.Length == 0 || bool.Parse(text));
}
