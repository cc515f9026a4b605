using Mesos.Orleans.Benchmarks.Allocator;
using Mesos.Orleans.Benchmarks.Launch;
using Mesos.Orleans.Benchmarks.Master;

namespace Mesos.Orleans.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project benchmarks/Mesos.Orleans.Benchmarks -- allocator|master|launch [--quick]</c>.</summary>
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

        Usage: Mesos.Orleans.Benchmarks master [options]

          --quick               100 agents, 20k tasks, 3 call rounds: under a minute.
          --agents N[,N...]     Simulated agents per run (default 100,1000).
          --tasks N[,N...]      Launch targets, run in turn on one master; the tasks stay RUNNING and the master's
                                memory is measured holding all of them (default 20000,100000).
          --max-per-accept N    Cap on the tasks in one ACCEPT (default: as many as fit in the offer).
          --rounds N            Allocation runs whose offers are ACCEPTed / DECLINEd one call each (default 5).
          --concurrency N       Calls in flight in the ACCEPT / DECLINE measurements (default 64).
          --markdown PATH       Also write the result tables (markdown) to PATH.

        Usage: Mesos.Orleans.Benchmarks launch [options]     (as root, for cgroups)

          --quick               100 launches measured, a burst of 50: a few seconds.
          --launches N          Launches measured one at a time, each beside a bare fork/exec (default 1000).
          --burst N             RUN_TASKs sent at once to measure launches per second (default 200).
          --command TEXT        The shell command each task runs (default: true).
          --task-resources R    Each task's resources, Mesos syntax (default cpus:0.1;mem:32): its cgroup's limits.
          --posix               No cgroups (--isolation=posix), to see what they cost.
          --markdown PATH       Also write the result tables (markdown) to PATH.
        """;
}
