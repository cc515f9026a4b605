using Mesos.Orleans.Benchmarks.Allocator;
using Mesos.Orleans.Benchmarks.Launch;
using Mesos.Orleans.Benchmarks.Master;
using Mesos.Orleans.Benchmarks.Usage;

namespace Mesos.Orleans.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project benchmarks/Mesos.Orleans.Benchmarks -- allocator|master|launch|usage|takeover|scaleout [--quick]</c>.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        switch (args[0])
        {
            case "allocator":
                if (!AllocatorOptionsParser.TryParse(args.AsSpan(1), out var options, out var error))
                {
                    Console.Error.WriteLine(error);
                    Console.Error.WriteLine(Usage);
                    return 2;
                }

                return AllocatorBenchmarks.Run(options);
            case "master":
                if (!MasterOptionsParser.TryParse(args.AsSpan(1), out var masterOptions, out var masterError))
                {
                    Console.Error.WriteLine(masterError);
                    Console.Error.WriteLine(Usage);
                    return 2;
                }

                return MasterBenchmarks.Run(masterOptions);
            case "takeover":
                return Takeover.TakeoverBenchmarks.Run(
                    args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal)
                        ? [.. args[1].Split(',').Select(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture))]
                        : [1000, 10000],
                    args.Contains("--pause"),
                    [.. args.Skip(1).SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Where(a => a != "--pause")]);
            case "takeover-probe" when args.Length == 2:
                return Takeover.SubscribeProbe.Run(new Uri(args[1]));
            case "usage":
                if (!UsageOptionsParser.TryParse(args.AsSpan(1), out var usageOptions, out var usageError))
                {
                    Console.Error.WriteLine(usageError);
                    Console.Error.WriteLine(Usage);
                    return 2;
                }

                return UsageBenchmarks.Run(usageOptions);
            case "scaleout":
                if (!ScaleOut.ScaleOutOptionsParser.TryParse(args.AsSpan(1), out var scaleOptions, out var scaleError))
                {
                    Console.Error.WriteLine(scaleError);
                    Console.Error.WriteLine(Usage);
                    return 2;
                }

                return ScaleOut.ScaleOutBenchmarks.Run(scaleOptions);
            case "launch":
                if (!LaunchOptionsParser.TryParse(args.AsSpan(1), out var launchOptions, out var launchError))
                {
                    Console.Error.WriteLine(launchError);
                    Console.Error.WriteLine(Usage);
                    return 2;
                }

                return LaunchBenchmarks.Run(launchOptions);
            default:
                Console.Error.WriteLine($"Unknown suite '{args[0]}'.");
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    private const string Usage = """
        Usage: Mesos.Orleans.Benchmarks allocator [options]

          --quick               Small grid (1k x 100, 10k x 1k), 5 rounds, quota 3k x 3k once: about a minute.
          --grid AxF[,AxF...]   Grid cells to run, e.g. 10000x1000,50000x6000 (default: {1k,10k,50k} x {100,1k,6k}).
          --rounds N|all        Rounds per cell: min(2 x frameworks, N); 'all' runs Mesos's full 2 x frameworks.
                                Default 20 (5 with --quick).
          --long AxF[,AxF...]   Cells also run for the full 2 x frameworks rounds, so that the late rounds, where
                                every framework has declined every agent, are measured too
                                (default: 1000x100,1000x1000; none with --quick; 'none' to skip).
          --quota-reps N        Repetitions of each quota case (default 5; 1 with --quick).
          --only grid|quota     Run one part only.
          --markdown PATH       Also write the result tables (markdown) to PATH.

        Usage: Mesos.Orleans.Benchmarks takeover [N,N...] [--flag value ...]

          Master failover on a throwaway PostgreSQL: two mesos-master silos (--cluster postgres), N simulated
          agents (default 1000,10000); the silo running the master grain is killed and takeover and completion
          are timed. --pause stops it with SIGSTOP instead (a hung process: it must be declared dead, not seen
          to close its connections). Other flags pass through to both silos.

        Usage: Mesos.Orleans.Benchmarks master [options]

          --quick               100 agents, 20k tasks, 3 call rounds: under a minute.
          --agents N[,N...]     Simulated agents per run (default 100,1000).
          --tasks N[,N...]      Launch targets, run in turn on one master; the tasks stay RUNNING and the master's
                                memory is measured holding all of them (default 20000,100000).
          --max-per-accept N    Cap on the tasks in one ACCEPT (default: as many as fit in the offer).
          --rounds N            Allocation runs whose offers are ACCEPTed / DECLINEd one call each (default 5).
          --concurrency N       Calls in flight in the ACCEPT / DECLINE measurements (default 64).
          --markdown PATH       Also write the result tables (markdown) to PATH.

        Usage: Mesos.Orleans.Benchmarks usage [options]

          --quick               1,000 agents, 20 s windows.
          --agents N            Simulated agents on the real agent protocol (default 10000).
          --tasks-per-agent N   Running tasks each agent holds and reports on (default 5).
          --interval S          Seconds between an agent's reports (default 5, the agent's --usage_interval).
          --seconds S           Length of each measurement window, without and with reports (default 60).
          --rounds N            Pairs of windows without and with reports, alternating (default 1).
          --senders N           Report requests in flight at most (default 64).
          --markdown PATH       Also write the results to PATH.

        Usage: Mesos.Orleans.Benchmarks scaleout [options]   (as root, for cgroups)

          Silos on a throwaway PostgreSQL, each held to a CPU share by a cgroup; the load generator outside them.
          --quick               6,000 tasks, 5 s call windows.
          --silos N[,N...]      Cluster sizes, each a fresh cluster (default 1,2,3).
          --cpus C              CPU share of each silo (default 0.5).
          --agents N            Simulated agents, spread over the silos (default 100).
          --tasks N             Tasks launched and measured, after a warm-up (default 30000).
          --frameworks N        Frameworks, spread over the silos; each sends calls to every silo (default 6).
          --seconds S           Length of each calls/s window (default 15).
          --concurrency N       Calls in flight (default 64).
          --markdown PATH       Also write the results to PATH.

        Usage: Mesos.Orleans.Benchmarks launch [options]     (as root, for cgroups)

          --quick               100 launches measured, a burst of 50: a few seconds.
          --launches N          Launches measured one at a time, each beside a bare fork/exec (default 1000).
          --burst N             RUN_TASKs sent at once to measure launches per second (default 200).
          --warmup N            Launches (each beside a fork/exec) before the measured ones, for the JIT to settle (default 1000, 100 with --quick).
          --command TEXT        The shell command each task runs (default: true).
          --task-resources R    Each task's resources, Mesos syntax (default cpus:0.1;mem:32): its cgroup's limits.
          --posix               No cgroups (--isolation=posix), to see what they cost.
          --markdown PATH       Also write the result tables (markdown) to PATH.
        """;
}
