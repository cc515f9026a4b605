using System.Globalization;

namespace Mesos.Orleans.Silo.Http;

/// <summary>Durations as Mesos (stout's Duration::parse) writes them: a number and a unit —
/// <c>ns</c>, <c>us</c>, <c>ms</c>, <c>secs</c>, <c>mins</c>, <c>hrs</c>, <c>days</c>, <c>weeks</c>.</summary>
public static class MesosDuration
{
    private static readonly (string Unit, double Seconds)[] Units =
    [
        ("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3), ("secs", 1), ("mins", 60), ("hrs", 3600), ("days", 86_400), ("weeks", 604_800),
    ];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        foreach (var (unit, seconds) in Units)
        {
            if (text.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(text.AsSpan(0, text.Length - unit.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                && text.Length > unit.Length)
            {
                duration = TimeSpan.FromSeconds(amount * seconds);
                return true;
            }
        }

        return false;
    }
}
