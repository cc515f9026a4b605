using System.Globalization;

namespace Mesos.Orleans.Benchmarks.Master;

/// <summary>What to run. See the usage text in <see cref="Program"/>.</summary>
internal sealed record MasterBenchmarkOptions(
    bool Quick,
    IReadOnlyList<int> AgentCounts,
    IReadOnlyList<int> LaunchTargets,
    int? MaxTasksPerAccept,
    int CallRounds,
    int CallConcurrency,
    string? MarkdownPath);

internal static class MasterOptionsParser
{
    public static bool TryParse(ReadOnlySpan<string> args, out MasterBenchmarkOptions options, out string error)
    {
        options = null!;
        error = string.Empty;
        var quick = false;
        List<int>? agents = null;
        List<int>? tasks = null;
        int? perAccept = null;
        int? rounds = null;
        var concurrency = 64;
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
                    case "--agents":
                        agents = ParseList(Value(args));
                        break;
                    case "--tasks":
                        tasks = ParseList(Value(args));
                        break;
                    case "--max-per-accept":
                        perAccept = int.Parse(Value(args), CultureInfo.InvariantCulture);
                        break;
                    case "--rounds":
                        rounds = int.Parse(Value(args), CultureInfo.InvariantCulture);
                        break;
                    case "--concurrency":
                        concurrency = int.Parse(Value(args), CultureInfo.InvariantCulture);
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

        options = new MasterBenchmarkOptions(
            quick,
            agents ?? (quick ? [100] : [100, 1_000]),
            tasks ?? (quick ? [20_000] : [20_000, 100_000]),
            perAccept,
            rounds ?? (quick ? 3 : 5),
            concurrency,
            markdown);
        return true;
    }

    private static List<int> ParseList(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s.Replace("k", "000", StringComparison.OrdinalIgnoreCase), CultureInfo.InvariantCulture))];
}
