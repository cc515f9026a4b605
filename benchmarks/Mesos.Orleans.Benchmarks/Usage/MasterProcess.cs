using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mesos.Orleans.Benchmarks.Usage;

/// <summary>The master as its own process (mesos-master.dll from this build), so that its CPU time and
/// memory can be read from /proc apart from the simulated agents'.</summary>
internal sealed class MasterProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _workDir;

    private MasterProcess(Process process, Uri url, string workDir)
    {
        _process = process;
        Url = url;
        _workDir = workDir;
    }

    public Uri Url { get; }

    public int Pid => _process.Id;

    public static async Task<MasterProcess> StartAsync(IEnumerable<string> extraArgs)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var workDir = Directory.CreateTempSubdirectory("usagebench-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "mesos-master.dll"), "--ip", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--work_dir", workDir }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("mesos-master did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[master] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url, "/health")).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException("mesos-master did not answer /health", e);
                }
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return new MasterProcess(process, url, workDir);
    }

    /// <summary>User plus system CPU seconds the master has used (/proc/PID/stat, USER_HZ = 100).</summary>
    public double CpuSeconds() => CpuSecondsOf(Pid);

    /// <summary>User plus system CPU seconds a process has used (/proc/PID/stat, USER_HZ = 100).</summary>
    public static double CpuSecondsOf(int pid) => UserPlusSystemSeconds(File.ReadAllText($"/proc/{pid}/stat"));

    /// <summary>Each live thread's CPU seconds and kind (/proc/PID/task/TID/stat; the kind is the thread's comm
    /// with its number dropped: ".NET TP Worker", ".NET Server GC", "usage-receiver" …), so that a cost can be
    /// placed. Threads that end between two readings take their time with them: the difference of two readings
    /// is exact for threads that live as long as the master and a lower bound for the thread pool's.</summary>
    public Dictionary<int, (string Kind, double Seconds)> CpuSecondsByThread()
    {
        var threads = new Dictionary<int, (string, double)>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{Pid}/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var kind = stat[(open + 1)..stat.LastIndexOf(')')].TrimEnd("0123456789 ".ToCharArray());
                threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (kind, UserPlusSystemSeconds(stat));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread ended while being read.
            }
        }

        return threads;
    }

    /// <summary>utime + stime of a process's or thread's stat line, in seconds (USER_HZ = 100).</summary>
    private static double UserPlusSystemSeconds(string stat)
    {
        // After the command (which may hold spaces, hence the last ')'): state is field 3, utime field 14 and
        // stime field 15 of the whole line.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        Directory.Delete(_workDir, recursive: true);
    }
}
