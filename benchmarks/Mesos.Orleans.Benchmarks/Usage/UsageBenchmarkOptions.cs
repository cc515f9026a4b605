using System.Globalization;

namespace Mesos.Orleans.Benchmarks.Usage;

/// <summary>What to run. See the usage text in <see cref="Program"/>.</summary>
internal sealed record UsageBenchmarkOptions(int Agents, int TasksPerAgent, TimeSpan Interval, TimeSpan Measure, int Senders, bool Stream, string? MarkdownPath, bool MainPort = false, int Rounds = 1);

internal static class UsageOptionsParser
{
    public static bool TryParse(ReadOnlySpan<string> args, out UsageBenchmarkOptions options, out string error)
    {
        options = new UsageBenchmarkOptions(10_000, 5, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), 64, true, null);
        error = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            string Value(ReadOnlySpan<string> a) => i + 1 < a.Length ? a[++i] : throw new FormatException($"{a[i]} needs a value");
            int Int(ReadOnlySpan<string> a) => int.Parse(Value(a), CultureInfo.InvariantCulture);

            try
            {
                options = args[i] switch
                {
                    "--quick" => options with { Agents = 1_000, Measure = TimeSpan.FromSeconds(20) },
                    "--agents" => options with { Agents = Int(args) },
                    "--tasks-per-agent" => options with { TasksPerAgent = Int(args) },
                    "--interval" => options with { Interval = TimeSpan.FromSeconds(double.Parse(Value(args), CultureInfo.InvariantCulture)) },
                    "--transport" => Value(args) switch
                    {
                        "stream" => options with { Stream = true, MainPort = false },
                        "main-port-stream" => options with { Stream = true, MainPort = true },
                        "post" => options with { Stream = false },
                        var other => throw new FormatException($"--transport is 'stream', 'main-port-stream' or 'post', not '{other}'."),
                    },
                    "--seconds" => options with { Measure = TimeSpan.FromSeconds(Int(args)) },
                    "--senders" => options with { Senders = Int(args) },
                    "--rounds" => options with { Rounds = Int(args) },
                    "--markdown" => options with { MarkdownPath = Value(args) },
                    _ => throw new FormatException($"Unknown option '{args[i]}'."),
                };
            }
            catch (FormatException e)
            {
                error = e.Message;
                return false;
            }
        }

        if (options.Agents <= 0 || options.TasksPerAgent < 0 || options.Interval <= TimeSpan.Zero || options.Measure <= TimeSpan.Zero || options.Senders <= 0 || options.Rounds <= 0)
        {
            error = "--agents, --interval, --seconds, --senders and --rounds must be positive; --tasks-per-agent not negative.";
            return false;
        }

        return true;
    }
}
