using System.Globalization;

namespace Mesos.Orleans.Benchmarks.Launch;

/// <summary>What to run. See the usage text in <see cref="Program"/>.</summary>
internal sealed record LaunchBenchmarkOptions(int Warmup, int Launches, int Burst, string Command, string TaskResources, bool Posix, string? MarkdownPath);

internal static class LaunchOptionsParser
{
    public static bool TryParse(ReadOnlySpan<string> args, out LaunchBenchmarkOptions options, out string error)
    {
        options = null!;
        error = string.Empty;
        var quick = false;
        int? launches = null;
        int? burst = null;
        int? warmup = null;
        var command = "true";
        var resources = "cpus:0.1;mem:32";
        var posix = false;
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
                    case "--launches":
                        launches = int.Parse(Value(args), CultureInfo.InvariantCulture);
                        break;
                    case "--warmup":
                        warmup = int.Parse(Value(args), CultureInfo.InvariantCulture);
                        break;
                    case "--burst":
                        burst = int.Parse(Value(args), CultureInfo.InvariantCulture);
                        break;
                    case "--command":
                        command = Value(args);
                        break;
                    case "--task-resources":
                        resources = Value(args);
                        break;
                    case "--posix":
                        posix = true;
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

        options = new LaunchBenchmarkOptions(warmup ?? (quick ? 100 : 1000), launches ?? (quick ? 100 : 1000), burst ?? (quick ? 50 : 200), command, resources, posix, markdown);
        return true;
    }
}
