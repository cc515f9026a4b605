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

    /// <summary>Flags from the environment (<c>MESOS_*</c>) and the command line, as a web host would read them,
    /// for code that needs them before (or without) building one.</summary>
    public static Flags FromArgs(IReadOnlyList<string> args) => new(new ConfigurationBuilder()
        .AddEnvironmentVariables()
        .AddCommandLine(Normalize(args))
        .Build());

    public string Get(string name, string fallback) => Get(name) ?? fallback;

    public int GetInt(string name, int fallback) =>
        Get(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>A Mesos duration flag: a number with a unit (ns, us, ms, secs, mins, hrs, days, weeks; also
    /// s, m, h, d, w) or a bare number of seconds.</summary>
    public TimeSpan GetSeconds(string name, TimeSpan fallback)
    {
        if (Get(name) is not { } text)
        {
            return fallback;
        }

        var unitStart = text.Length;
        while (unitStart > 0 && char.IsAsciiLetter(text[unitStart - 1]))
        {
            unitStart--;
        }

        var seconds = text[unitStart..] switch
        {
            "" or "s" or "sec" or "secs" => 1.0,
            "ns" => 1e-9,
            "us" => 1e-6,
            "ms" => 1e-3,
            "m" or "min" or "mins" => 60.0,
            "h" or "hr" or "hrs" => 3600.0,
            "d" or "day" or "days" => 86400.0,
            "w" or "week" or "weeks" => 604800.0,
            var unit => throw new FormatException($"--{name}: unknown duration unit '{unit}' in '{text}'"),
        };
        if (!double.TryParse(text.AsSpan(0, unitStart), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || !double.IsFinite(amount) || amount < 0)
        {
            throw new FormatException($"--{name}: '{text}' is not a duration (e.g. 10secs, 500ms, 2mins)");
        }

        return TimeSpan.FromSeconds(amount * seconds);
    }

    public bool GetBool(string name) =>
        Get(name) is { } text && (text.Length == 0 || bool.Parse(text));

    /// <summary>Mesos flags are <c>--name=value</c> or <c>--name value</c>; a boolean may stand alone
    /// (<c>--dev</c>) or be negated (<c>--no-dev</c>). .NET's command-line configuration would read
    /// <c>--dev --port 1</c> as dev = "--port", so lone flags are made explicit first.</summary>
    public static string[] Normalize(IReadOnlyList<string> args)
    {
        var normalized = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var isFlag = arg.StartsWith("--", StringComparison.Ordinal) && !arg.Contains('=', StringComparison.Ordinal);
            var standsAlone = i + 1 == args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal);
            if (isFlag && standsAlone)
            {
                normalized.Add(arg.StartsWith("--no-", StringComparison.Ordinal) ? $"--{arg[5..]}=false" : $"{arg}=true");
            }
            else
            {
                normalized.Add(arg);
            }
        }

        return [.. normalized];
    }
}
