using System.Globalization;

namespace Mesos.Orleans.Benchmarks.ScaleOut;

/// <summary>What to run. See the usage text in <see cref="Program"/>.</summary>
internal sealed record ScaleOutOptions(
    IReadOnlyList<int> SiloCounts,
    double CpusPerSilo,
    int Agents,
    int Tasks,
    int Frameworks,
    TimeSpan CallWindow,
    int CallConcurrency,
    string? MarkdownPath);

internal static class ScaleOutOptionsParser
{
    public static bool TryParse(ReadOnlySpan<string> args, out ScaleOutOptions options, out string error)
    {
        options = null!;
        error = string.Empty;
        var quick = false;
        List<int> silos = [1, 2, 3];
        var cpus = 0.5;
        var agents = 100;
        int? tasks = null;
        var frameworks = 6;
        int? seconds = null;
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
                    case "--silos":
                        silos = [.. Value(args).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                        break;
                    case "--cpus":
                        cpus = double.Parse(Value(args), CultureInfo.InvariantCulture);
                        break;
                    case "--agents":
                        agents = int.Parse(Value(args), CultureInfo.InvariantCulture);
                        break;
                    case "--tasks":
                        tasks = int.Parse(Value(args), CultureInfo.InvariantCulture);
                        break;
                    case "--frameworks":
                        frameworks = int.Parse(Value(args), CultureInfo.InvariantCulture);
                        break;
                    case "--seconds":
                        seconds = int.Parse(Value(args), CultureInfo.InvariantCulture);
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

        if (silos.Count == 0 || silos.Any(n => n < 1) || !(cpus > 0) || agents < 1 || frameworks < 1 || concurrency < 1)
        {
            error = "--silos, --cpus, --agents, --frameworks and --concurrency must be positive.";
            return false;
        }

        options = new ScaleOutOptions(
            silos,
            cpus,
            agents,
            tasks ?? (quick ? 6_000 : 30_000),
            frameworks,
            TimeSpan.FromSeconds(seconds ?? (quick ? 5 : 15)),
            concurrency,
            markdown);
        return true;
    }
}
