using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Compatibility;

/// <summary>
/// The npm side of the compatibility tests: finds <c>tests/Compatibility</c> (package.json, package-lock.json and
/// the client scripts) from the test assembly's location, checks that node and npm exist, and runs
/// <c>npm ci</c> there once per test run (the first test to ask pays for it; the others wait for the same run).
/// Missing tools fail the test with a message saying what to install: these tests are never skipped.
/// </summary>
internal static class NodeTooling
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<InstallReport>> Install = new(InstallOnceAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _callers;

    /// <summary>tests/Compatibility in the repository that holds the test assembly.</summary>
    public static string PackageDirectory { get; } = FindPackageDirectory();

    /// <summary>Runs <c>npm ci</c> in <see cref="PackageDirectory"/> the first time it is called in this process;
    /// later calls get the same result (or the same failure).</summary>
    public static async Task EnsureInstalledAsync(ITestOutputHelper output)
    {
        var first = Interlocked.Increment(ref _callers) == 1;
        var report = await Install.Value;
        output.WriteLine(
            $"[npm] {report.Command} in {PackageDirectory}: {report.Elapsed.TotalSeconds:0.0} s (node {report.NodeVersion}, npm {report.NpmVersion})"
            + (first ? string.Empty : "; done once for this test run, by an earlier test"));
    }

    private static async Task<InstallReport> InstallOnceAsync()
    {
        var nodeVersion = await ToolVersionAsync("node");
        var npmVersion = await ToolVersionAsync("npm");
        var hasLock = File.Exists(Path.Combine(PackageDirectory, "package-lock.json"));
        string[] arguments = hasLock
            ? ["ci", "--no-audit", "--no-fund", "--loglevel=warn"]
            : ["install", "--no-audit", "--no-fund", "--loglevel=warn"];
        var clock = Stopwatch.StartNew();
        var result = await ProcessRun.RunAsync("npm", arguments, PackageDirectory, InstallTimeout, output: null);
        clock.Stop();
        if (result.TimedOut || result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`npm {string.Join(' ', arguments)}` in {PackageDirectory} "
                + (result.TimedOut ? $"did not finish within {InstallTimeout.TotalMinutes} min" : $"exited with {result.ExitCode}")
                + $"; the npm registry must be reachable. Output:\n{result.Output}");
        }

        foreach (var package in new[] { "mesos-framework", "@dcos/recordio" })
        {
            if (!File.Exists(Path.Combine(PackageDirectory, "node_modules", package, "package.json")))
            {
                throw new InvalidOperationException($"npm finished but node_modules/{package} is missing in {PackageDirectory}. Output:\n{result.Output}");
            }
        }

        return new InstallReport($"npm {arguments[0]}", clock.Elapsed, nodeVersion, npmVersion);
    }

    private static async Task<string> ToolVersionAsync(string tool)
    {
        ProcessRun.Result result;
        try
        {
            result = await ProcessRun.RunAsync(tool, ["--version"], PackageDirectory, TimeSpan.FromMinutes(1), output: null);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"`{tool}` was not found on PATH ({ex.Message}). The compatibility tests drive the real npm Mesos clients and "
                + "need Node.js >= 18 and npm: install them (Debian: `apt-get install -y nodejs npm`) and run the tests again.",
                ex);
        }

        if (result.TimedOut || result.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{tool} --version` failed (exit {result.ExitCode}): {result.Output}");
        }

        var version = result.Output.Trim();
        if (tool == "node")
        {
            var major = int.Parse(version.TrimStart('v').Split('.')[0], CultureInfo.InvariantCulture);
            if (major < 18)
            {
                throw new InvalidOperationException($"node {version} is too old: the compatibility scripts need Node.js >= 18.");
            }
        }

        return version;
    }

    private static string FindPackageDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mesos.Orleans.sln")))
            {
                var package = Path.Combine(dir.FullName, "tests", "Compatibility");
                return File.Exists(Path.Combine(package, "package.json"))
                    ? package
                    : throw new InvalidOperationException($"{package}/package.json is missing.");
            }
        }

        throw new InvalidOperationException(
            $"No Mesos.Orleans.sln above {AppContext.BaseDirectory}: cannot find tests/Compatibility.");
    }

    private sealed record InstallReport(string Command, TimeSpan Elapsed, string NodeVersion, string NpmVersion);
}
