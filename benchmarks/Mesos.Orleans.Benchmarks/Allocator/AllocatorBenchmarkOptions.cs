using System.Globalization;

namespace Mesos.Orleans.Benchmarks.Allocator;

/// <summary>What to run. See the usage text in <see cref="Program"/>.</summary>
internal sealed record AllocatorBenchmarkOptions(
    bool Quick,
    IReadOnlyList<(int Agents, int Frameworks)> Grid,
    int? RoundCap,
    IReadOnlyList<(int Agents, int Frameworks)> Long,
    int QuotaRepetitions,
    bool RunGrid,
    bool RunQuota,
    string? MarkdownPath)
{
    public static readonly IReadOnlyList<(int, int)> FullGrid =
    [
        (1_000, 100), (1_000, 1_000), (1_000, 6_000),
        (10_000, 100), (10_000, 1_000), (10_000, 6_000),
        (50_000, 100), (50_000, 1_000), (50_000, 6_000),
    ];

    public static readonly IReadOnlyList<(int, int)> QuickGrid = [(1_000, 100), (10_000, 1_000)];

    /// <summary>Rounds a cell runs: Mesos runs 2 × frameworks; capped unless the cap is null.</summary>
    public int RoundsFor(int frameworks) => RoundCap is { } cap ? Math.Min(2 * frameworks, cap) : 2 * frameworks;
}

internal static class AllocatorOptionsParser
{
    public static bool TryParse(ReadOnlySpan<string> args, out AllocatorBenchmarkOptions options, out string error)
    {
        options = null!;
        error = string.Empty;
        var quick = false;
        List<(int, int)>? grid = null;
        List<(int, int)>? longCells = null;
        string? rounds = null;
        int? quotaReps = null;
        string? only = null;
        string? markdown = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value(ReadOnlySpan<string> a) => i + 1 < a.Length ? a[++i] : throw new FormatException($"{a[i]} needs a value");

            try
            {
                switch (args[i])
                {
                    case "--quick":
                        quick = true;
                        break;
                    case "--grid":
                        grid = ParseCells(Value(args));
                        break;
                    case "--long":
                        longCells = ParseCells(Value(args));
                        break;
                    case "--rounds":
                        rounds = Value(args);
                        break;
                    case "--quota-reps":
                        quotaReps = int.Parse(Value(args), CultureInfo.InvariantCulture);
                        break;
                    case "--only":
                        only = Value(args);
                        break;
                    case "--markdown":
                        markdown = Value(args);
                        break;
                    default:
                        error = $"Unknown option '{args[i]}'.";
                        return false;
                }
            }
            catch (FormatException e)
            {
                error = e.Message;
                return false;
            }
        }

        if (only is not (null or "grid" or "quota"))
        {
            error = $"--only takes 'grid' or 'quota', not '{only}'.";
            return false;
        }

        int? cap = rounds switch
        {
            null => quick ? 5 : 20,
            "all" => null,
            _ when int.TryParse(rounds, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => n,
            _ => -1,
        };
        if (cap == -1)
        {
            error = $"--rounds takes a positive number or 'all', not '{rounds}'.";
            return false;
        }

        options = new AllocatorBenchmarkOptions(
            quick,
            grid ?? [.. quick ? AllocatorBenchmarkOptions.QuickGrid : AllocatorBenchmarkOptions.FullGrid],
            cap,
            longCells ?? (quick ? [] : [(1_000, 100), (1_000, 1_000)]),
            quotaReps ?? (quick ? 1 : 5),
            only is null or "grid",
            only is null or "quota",
            markdown);
        return true;
    }

    private static List<(int, int)> ParseCells(string text)
    {
        if (text == "none")
        {
            return [];
        }

        var cells = new List<(int, int)>();
        foreach (var cell in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = cell.Split('x');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var agents)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var frameworks)
                || agents <= 0 || frameworks <= 0)
            {
                throw new FormatException($"'{cell}' is not AGENTSxFRAMEWORKS, e.g. 10000x1000");
            }

            cells.Add((agents, frameworks));
        }

        return cells;
    }
}
