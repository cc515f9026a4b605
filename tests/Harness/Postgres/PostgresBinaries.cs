namespace Mesos.Orleans.Testing.Postgres;

/// <summary>Finds the PostgreSQL server programs (initdb, pg_ctl, postgres).</summary>
public static class PostgresBinaries
{
    /// <summary>Environment variable naming the directory that holds initdb, pg_ctl and postgres.</summary>
    public const string BinDirectoryVariable = "MESOS_TEST_PG_BIN";

    private static readonly string[] RequiredPrograms = ["initdb", "pg_ctl", "postgres"];

    /// <summary>
    /// The directory holding the server programs: <c>$MESOS_TEST_PG_BIN</c> if set, else the newest
    /// <c>/usr/lib/postgresql/*/bin</c>, else <c>pg_config --bindir</c>. Null when none has all of them.
    /// </summary>
    public static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(BinDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            // An explicit choice is never second-guessed: a wrong one must fail loudly, not fall back.
            return fromEnvironment;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.EnumerateDirectories(debianRoot)
                .Select(dir => (Dir: Path.Combine(dir, "bin"), Version: ParseVersion(Path.GetFileName(dir))))
                .Where(candidate => candidate.Version is not null && HasServerPrograms(candidate.Dir))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Dir)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        var fromPgConfig = PgConfigBinDir();
        return fromPgConfig is not null && HasServerPrograms(fromPgConfig) ? fromPgConfig : null;
    }

    /// <summary>Like <see cref="Find"/>, but throws a message saying how to fix it when nothing is found.</summary>
    public static string FindOrThrow()
    {
        var dir = Find() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found: looked at $"
            + BinDirectoryVariable + ", /usr/lib/postgresql/*/bin and `pg_config --bindir`. Install them "
            + "(Debian/Ubuntu: apt-get install postgresql) or set " + BinDirectoryVariable + ".");
        foreach (var program in RequiredPrograms)
        {
            if (!File.Exists(Path.Combine(dir, program)))
            {
                throw new InvalidOperationException($"{Path.Combine(dir, program)} does not exist ({BinDirectoryVariable}={dir}).");
            }
        }

        return dir;
    }

    private static bool HasServerPrograms(string dir) =>
        RequiredPrograms.All(program => File.Exists(Path.Combine(dir, program)));

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;

    private static string? PgConfigBinDir()
    {
        var pgConfig = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "pg_config"))
            .FirstOrDefault(File.Exists);
        if (pgConfig is null)
        {
            return null;
        }

        try
        {
            var result = ProcessRunner
                .RunAsync(pgConfig, ["--bindir"], Path.GetTempPath(), TimeSpan.FromSeconds(30))
                .GetAwaiter()
                .GetResult();
            var dir = result.StandardOutput.Trim();
            return result.Succeeded && dir.Length > 0 ? dir : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
