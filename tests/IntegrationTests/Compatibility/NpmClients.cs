using System.Globalization;
using Mesos.Orleans.Testing.Processes;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Compatibility;

/// <summary>Runs the scripts in tests/Compatibility against a cluster, with deadlines the scripts also enforce.
/// Call <see cref="NodeTooling.EnsureInstalledAsync"/> first.</summary>
internal static class NpmClients
{
    /// <summary>The master's scheduler API, which the npm mesos-framework package speaks.</summary>
    public const string SchedulerPath = "/api/v1/scheduler";

    /// <summary>The master's operator API, which @dcos/mesos-client subscribes to.</summary>
    public const string OperatorPath = "/api/v1";

    /// <summary>Runs framework.js (the unmodified mesos-framework Scheduler) until its task finishes, against
    /// <paramref name="master"/> (a silo's URL; the cluster's first by default).</summary>
    public static Task<ProcessRun.Result> RunFrameworkAsync(
        MesosCluster cluster, ITestOutputHelper output, string name, string taskType, string command, int lingerSeconds, Uri? master = null)
    {
        const int scriptTimeoutSeconds = 60;
        var logDir = Path.Combine(cluster.Root, "mesos-framework-logs");
        return ProcessRun.RunAsync(
            "node",
            [
                Path.Combine(NodeTooling.PackageDirectory, "framework.js"),
                "--master", (master ?? cluster.Master).Authority,
                "--name", name,
                "--task-type", taskType,
                "--command", command,
                "--timeout", (scriptTimeoutSeconds + lingerSeconds).ToString(CultureInfo.InvariantCulture),
                "--linger", lingerSeconds.ToString(CultureInfo.InvariantCulture),
                "--log-dir", logDir,
                "--log-level", "debug",
            ],
            NodeTooling.PackageDirectory,
            TimeSpan.FromSeconds(scriptTimeoutSeconds + lingerSeconds + 15),
            output,
            name: "framework.js",
            environment: new Dictionary<string, string?> { ["HOST"] = null, ["PORT0"] = null, ["MESOS_MASTER"] = null });
    }

    /// <summary>Runs operator-stream.js: POSTs <paramref name="body"/> to <paramref name="path"/> and reads
    /// <paramref name="count"/> RecordIO records with @dcos/recordio's reader.</summary>
    public static Task<ProcessRun.Result> ReadStreamAsync(
        MesosCluster cluster, ITestOutputHelper output, string path, string body, int count, int timeoutSeconds)
    {
        return ProcessRun.RunAsync(
            "node",
            [
                Path.Combine(NodeTooling.PackageDirectory, "operator-stream.js"),
                "--url", new Uri(cluster.Master, path).ToString(),
                "--body", body,
                "--count", count.ToString(CultureInfo.InvariantCulture),
                "--timeout", timeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ],
            NodeTooling.PackageDirectory,
            TimeSpan.FromSeconds(timeoutSeconds + 15),
            output,
            name: "operator-stream.js",
            environment: new Dictionary<string, string?> { ["MESOS_MASTER"] = null });
    }
}
