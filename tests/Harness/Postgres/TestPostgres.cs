using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Mesos.Orleans.Testing.Waiting;
using Npgsql;

namespace Mesos.Orleans.Testing.Postgres;

/// <summary>Settings for <see cref="TestPostgres.StartAsync"/>; the defaults suit tests.</summary>
public sealed record TestPostgresOptions
{
    /// <summary>Directory holding initdb, pg_ctl and postgres; found by <see cref="PostgresBinaries.Find"/> when null.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>Deadline for the server to accept connections, per start attempt.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many ports to try when another process grabs the chosen free port first.</summary>
    public int MaxStartAttempts { get; init; } = 5;

    /// <summary>
    /// Port for the first start attempt; a free one is picked when null (the default, and what tests should use).
    /// If it is taken, later attempts fall back to free ports.
    /// </summary>
    public int? PreferredPort { get; init; }

    /// <summary>Extra <c>postgresql.conf</c> settings (name → value, value written verbatim), applied last.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A throwaway PostgreSQL server for tests: a fresh cluster in a temporary directory, listening on a free
/// loopback port (and a Unix socket inside that directory), trust authentication, durability off for speed.
/// When the tests run as root the server runs as the <c>postgres</c> account (else <c>nobody</c>).
/// <see cref="DisposeAsync"/> stops it and deletes the directory. Safe to start several at once.
/// </summary>
public sealed partial class TestPostgres : IAsyncDisposable
{
    /// <summary>The superuser name created by initdb.</summary>
    public const string SuperUser = "postgres";

    private static readonly ConcurrentDictionary<TestPostgres, byte> Running = new();
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly ServerAccount? account;
    private readonly ConcurrentDictionary<string, byte> handedOut = new(StringComparer.Ordinal);
    private int disposed;

    static TestPostgres()
    {
        // Last resort if a fixture is never disposed (crash, Ctrl+C): do not leave servers behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var server in Running.Keys)
            {
                try
                {
                    server.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
                catch (Exception)
                {
                    // Best effort at exit.
                }
            }
        };
    }

    private TestPostgres(string binDirectory, string rootDirectory, ServerAccount? account)
    {
        BinDirectory = binDirectory;
        RootDirectory = rootDirectory;
        this.account = account;
        var id = Path.GetFileName(rootDirectory);
        ApplicationName = id;
    }

    /// <summary>Directory of the server programs used.</summary>
    public string BinDirectory { get; }

    /// <summary>The temporary directory holding everything (data, socket, log); deleted on dispose.</summary>
    public string RootDirectory { get; }

    /// <summary>The cluster's data directory (inside <see cref="RootDirectory"/>).</summary>
    public string DataDirectory => Path.Combine(RootDirectory, "data");

    /// <summary>The directory holding the server's Unix socket.</summary>
    public string SocketDirectory => Path.Combine(RootDirectory, "run");

    /// <summary>The server log file.</summary>
    public string LogPath => Path.Combine(RootDirectory, "postgres.log");

    /// <summary>The loopback TCP port the server listens on (host 127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>
    /// Connection string for the <c>postgres</c> database as superuser over TCP. Its Application Name is
    /// unique to this server, so Npgsql pools never mix servers that reused a port.
    /// </summary>
    public string ConnectionString => BuildConnectionString("postgres");

    private string ApplicationName { get; }

    /// <summary>Whether the server has been stopped (disposed).</summary>
    public bool IsDisposed => Volatile.Read(ref disposed) != 0;

    /// <summary>
    /// Creates and starts a server, returning once it accepts connections. On failure, throws an
    /// <see cref="InvalidOperationException"/> including the server log, after cleaning up.
    /// </summary>
    public static async Task<TestPostgres> StartAsync(TestPostgresOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TestPostgresOptions();
        var bin = options.BinDirectory ?? PostgresBinaries.FindOrThrow();
        var account = ServerAccount.ForCurrentProcess();
        var root = await CreateRootDirectoryAsync(account, cancellationToken).ConfigureAwait(false);
        var server = new TestPostgres(bin, root, account);
        Running.TryAdd(server, 0);
        try
        {
            await server.InitializeClusterAsync(options, cancellationToken).ConfigureAwait(false);
            await server.StartServerAsync(options, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Creates a database (owned by the superuser) and returns a connection string for it. Names are
    /// letters, digits and underscores, at most 63 characters; they are used quoted, so case is kept.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a valid test database name (letters, digits, '_'; at most 63).", nameof(name));
        }

        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var admin = new NpgsqlConnection(ConnectionString);
        await using (admin.ConfigureAwait(false))
        {
            await admin.OpenAsync(cancellationToken).ConfigureAwait(false);
            var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'", admin);
            await using (create.ConfigureAwait(false))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return BuildConnectionString(name);
    }

    /// <summary>Creates a database with a fresh unique name; see <see cref="CreateDatabaseAsync(string, CancellationToken)"/>.</summary>
    public Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default) =>
        CreateDatabaseAsync("test_" + Guid.NewGuid().ToString("N"), cancellationToken);

    /// <summary>The server log so far (empty if there is none).</summary>
    public string ReadLog() => ReadLogFrom(0);

    /// <summary>Stops the server at once, as a crash would (every connection drops), and starts it again on
    /// the same port with the same data.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync().ConfigureAwait(false);
        await StartServerAsync(new TestPostgresOptions { PreferredPort = Port, MaxStartAttempts = 1 }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the server immediately (pg_ctl stop -m immediate) and deletes <see cref="RootDirectory"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            foreach (var connectionString in handedOut.Keys)
            {
                using var connection = new NpgsqlConnection(connectionString);
                NpgsqlConnection.ClearPool(connection);
            }

            await DeleteRootDirectoryAsync().ConfigureAwait(false);
            Running.TryRemove(this, out _);
        }
    }

    private static async Task<string> CreateRootDirectoryAsync(ServerAccount? account, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The throwaway PostgreSQL harness runs on Linux (and other Unix systems) only.");
        }

        // The account must be able to reach the directory, and the socket path must stay under the ~107-byte limit.
        var parent = Path.GetTempPath();
        if ((account is not null && !OthersCanTraverse(parent)) || parent.Length > 60)
        {
            parent = "/tmp";
        }

        var root = Path.Combine(parent, "mesos-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(root, "run"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (account is not null)
        {
            var chown = await ProcessRunner.RunAsync(
                "chown",
                ["-R", $"{account.Uid}:{account.Gid}", root],
                parent,
                CommandTimeout,
                cancellationToken).ConfigureAwait(false);
            if (!chown.Succeeded)
            {
                Directory.Delete(root, recursive: true);
                throw new InvalidOperationException("Could not hand the PostgreSQL directory to its account: " + chown.Describe());
            }
        }

        return root;
    }

    private static bool OthersCanTraverse(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (!dir.Exists || (dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int PickFreePort() => Processes.FreePort.Next();

    private static bool IsBindFailure(string log) =>
        log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
        || log.Contains("could not create any TCP/IP sockets", StringComparison.OrdinalIgnoreCase)
        || log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)
        || log.Contains("could not create lock file", StringComparison.OrdinalIgnoreCase);

    private async Task InitializeClusterAsync(TestPostgresOptions options, CancellationToken cancellationToken)
    {
        var initdb = await RunServerProgramAsync(
            "initdb",
            ["-D", DataDirectory, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            cancellationToken).ConfigureAwait(false);
        if (!initdb.Succeeded)
        {
            throw new InvalidOperationException($"initdb failed in {RootDirectory}: {initdb.Describe()}");
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["listen_addresses"] = "'127.0.0.1'",
            ["unix_socket_directories"] = $"'{SocketDirectory}'",
            ["fsync"] = "off",
            ["synchronous_commit"] = "off",
            ["full_page_writes"] = "off",
            ["wal_level"] = "minimal",
            ["max_wal_senders"] = "0",
            ["max_connections"] = "200",
            ["shared_buffers"] = "32MB",
            ["autovacuum"] = "off",
            ["jit"] = "off",
            ["timezone"] = "'UTC'",
            ["logging_collector"] = "off",
            ["log_min_messages"] = "warning",
        };
        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        var text = new StringBuilder("\n# Mesos.Orleans test settings\n");
        foreach (var (key, value) in settings)
        {
            text.Append(CultureInfo.InvariantCulture, $"{key} = {value}\n");
        }

        // Appending keeps the file's owner (the server account) and overrides the defaults above it.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), text.ToString(), cancellationToken).ConfigureAwait(false);
    }

    private async Task StartServerAsync(TestPostgresOptions options, CancellationToken cancellationToken)
    {
        var attempts = Math.Max(1, options.MaxStartAttempts);
        for (var attempt = 1; ; attempt++)
        {
            Port = attempt == 1 && options.PreferredPort is { } preferred ? preferred : PickFreePort();
            var logStart = File.Exists(LogPath) ? new FileInfo(LogPath).Length : 0;
            var start = await RunServerProgramAsync(
                "pg_ctl",
                [
                    "start", "-D", DataDirectory, "-l", LogPath, "-w",
                    "-t", ((int)Math.Ceiling(options.StartTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
                    "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
                ],
                cancellationToken).ConfigureAwait(false);
            if (start.Succeeded)
            {
                break;
            }

            var log = ReadLogFrom(logStart);
            await StopAsync().ConfigureAwait(false);
            if (attempt < attempts && IsBindFailure(log))
            {
                continue;
            }

            throw new InvalidOperationException(
                $"PostgreSQL did not start on 127.0.0.1:{Port} (attempt {attempt} of {attempts}, data {DataDirectory}): "
                + start.Describe() + "\nserver log:\n" + ReadLog());
        }

        try
        {
            var probe = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
            await Eventually.TrueAsync(
                async ct =>
                {
                    var connection = new NpgsqlConnection(probe);
                    await using (connection.ConfigureAwait(false))
                    {
                        await connection.OpenAsync(ct).ConfigureAwait(false);
                        var select = new NpgsqlCommand("select 1", connection);
                        await using (select.ConfigureAwait(false))
                        {
                            return Equals(await select.ExecuteScalarAsync(ct).ConfigureAwait(false), 1);
                        }
                    }
                },
                $"PostgreSQL on 127.0.0.1:{Port} to accept connections",
                options.StartTimeout,
                TimeSpan.FromMilliseconds(50),
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException(ex.Message + "\nserver log:\n" + ReadLog(), ex);
        }
    }

    private async Task StopAsync()
    {
        if (!File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            return;
        }

        var stop = await RunServerProgramAsync(
            "pg_ctl",
            ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60"],
            CancellationToken.None).ConfigureAwait(false);
        if (stop.Succeeded)
        {
            return;
        }

        // pg_ctl could not do it (e.g. a stale pid file): kill the postmaster named in the pid file, if alive.
        try
        {
            var pidLine = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
            if (int.TryParse(pidLine, out var pid))
            {
                using var postmaster = System.Diagnostics.Process.GetProcessById(pid);
                if (postmaster.ProcessName is "postgres" or "postmaster")
                {
                    postmaster.Kill(entireProcessTree: true);
                    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await postmaster.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException or OperationCanceledException)
        {
            // Not running any more, or the pid file is gone: nothing to stop.
        }
    }

    private async Task DeleteRootDirectoryAsync()
    {
        if (!Directory.Exists(RootDirectory))
        {
            return;
        }

        await Eventually.TrueAsync(
            () =>
            {
                Directory.Delete(RootDirectory, recursive: true);
                return !Directory.Exists(RootDirectory);
            },
            $"deletion of {RootDirectory}",
            TimeSpan.FromSeconds(10),
            TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
    }

    private Task<ProcessResult> RunServerProgramAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(BinDirectory, program);
        var (fileName, wrapped) = account is null ? (path, arguments) : account.Wrap(path, arguments);
        return ProcessRunner.RunAsync(fileName, wrapped, RootDirectory, CommandTimeout, cancellationToken);
    }

    private string ReadLogFrom(long offset)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return string.Empty;
        }
    }

    private string BuildConnectionString(string database)
    {
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = SuperUser,
            Database = database,
            ApplicationName = ApplicationName,
            IncludeErrorDetail = true,
        }.ConnectionString;
        handedOut.TryAdd(connectionString, 0);
        return connectionString;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatabaseName();
}
