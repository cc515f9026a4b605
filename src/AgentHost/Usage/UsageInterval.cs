using System.Globalization;

namespace Mesos.Orleans.AgentHost.Usage;

/// <summary>Parses --usage_interval in Mesos's duration syntax ("5secs", "500ms", "1mins") or plain seconds ("5", "5s").</summary>
public static class UsageInterval
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(5);

    // Longest suffixes first: "1mins" also ends in "ns".
    private static readonly (string Suffix, double Seconds)[] Units =
    [
        ("secs", 1), ("mins", 60), ("hrs", 3600), ("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3), ("s", 1),
    ];

    public static TimeSpan Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        var trimmed = text.Trim();
        var (suffix, scale) = Units.FirstOrDefault(u => trimmed.EndsWith(u.Suffix, StringComparison.Ordinal));
        var number = suffix is null ? trimmed : trimmed[..^suffix.Length];
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || double.IsInfinity(value))
        {
            throw new ArgumentException($"--usage_interval must be a positive duration such as '5secs' or '500ms', not '{text}'");
        }

        return TimeSpan.FromSeconds(value * (suffix is null ? 1 : scale));
    }
}
