namespace Mesos.Orleans.Testing.Postgres;

/// <summary>
/// The unprivileged account the server programs run as when the tests run as root (initdb and postgres
/// refuse to run as root): <c>postgres</c> if it exists, else <c>nobody</c>. Null when not root.
/// </summary>
internal sealed record ServerAccount(string Name, int Uid, int Gid)
{
    private static readonly string[] SbinDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    public static ServerAccount? ForCurrentProcess()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return null;
        }

        return Lookup("postgres") ?? Lookup("nobody") ?? throw new InvalidOperationException(
            "Running as root, and neither a `postgres` nor a `nobody` account exists in /etc/passwd to run PostgreSQL as.");
    }

    /// <summary>Wraps a command so that it runs as this account (runuser, else setpriv).</summary>
    public (string FileName, IReadOnlyList<string> Arguments) Wrap(string program, IReadOnlyList<string> arguments)
    {
        var runuser = FindTool("runuser");
        if (runuser is not null)
        {
            return (runuser, ["-u", Name, "--", program, .. arguments]);
        }

        var setpriv = FindTool("setpriv");
        if (setpriv is not null)
        {
            return (setpriv, [$"--reuid={Uid}", $"--regid={Gid}", "--clear-groups", "--", program, .. arguments]);
        }

        throw new InvalidOperationException(
            $"Running as root, PostgreSQL must run as `{Name}`, but neither runuser nor setpriv (util-linux) was found.");
    }

    private static ServerAccount? Lookup(string name)
    {
        const string passwd = "/etc/passwd";
        if (!File.Exists(passwd))
        {
            return null;
        }

        foreach (var line in File.ReadLines(passwd))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == name
                && int.TryParse(fields[2], out var uid) && int.TryParse(fields[3], out var gid))
            {
                return new ServerAccount(name, uid, gid);
            }
        }

        return null;
    }

    private static string? FindTool(string name) =>
        SbinDirectories
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
