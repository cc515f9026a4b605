using System.Globalization;
using Mesos.Orleans.Testing.Processes;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Compatibility;

/// <summary>
/// The master's RecordIO stream read by @dcos/recordio@0.1.8, the reader inside @dcos/mesos-client, driven the way
/// mesos-client drives it (growing response text, `?_ts=` cache-buster, JSON Accept): the operator event stream it
/// was written for, and the scheduler subscription stream.
/// </summary>
public sealed class RecordIoReaderClientTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Dcos_recordio_reader_parses_the_scheduler_stream_SUBSCRIBED_HEARTBEAT_OFFERS_and_a_timely_second_HEARTBEAT()
    {
        await NodeTooling.EnsureInstalledAsync(output);
        await using var cluster = await MesosCluster.StartAsync(output);
        const string subscribe = """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"recordio-reader"}}}""";

        var run = await NpmClients.ReadStreamAsync(cluster, output, NpmClients.SchedulerPath, subscribe, count: 4, timeoutSeconds: 20);

        var result = run.Lines("RESULT").SingleOrDefault() ?? "(none)";
        Assert.False(run.TimedOut, $"operator-stream.js did not exit by its deadline; RESULT {result}");
        Assert.True(run.ExitCode == 0, $"operator-stream.js exited {run.ExitCode}: RESULT {result}");
        Assert.Equal("OK 4 records", result);

        var status = Assert.Single(run.Lines("STATUS")).Split(' ');
        Assert.Equal("200", status[0]);
        Assert.StartsWith("application/json", status[1], StringComparison.Ordinal);
        Assert.NotEqual("-", status[2]); // Mesos-Stream-Id

        // "<TYPE> +<ms since the response began> [heartbeat_interval_seconds=<s>]"
        var events = run.Lines("EVENT").Select(l => l.Split(' ')).ToList();
        Assert.Equal(["SUBSCRIBED", "HEARTBEAT"], events.Take(2).Select(e => e[0]));
        Assert.Equal(["HEARTBEAT", "OFFERS"], events.Skip(2).Select(e => e[0]).Order(StringComparer.Ordinal));

        var interval = events[0].Single(p => p.StartsWith("heartbeat_interval_seconds=", StringComparison.Ordinal));
        var seconds = double.Parse(interval["heartbeat_interval_seconds=".Length..], CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 0.1, 9.9); // npm mesos-framework gives up after 10 s of silence

        var secondHeartbeat = events.Skip(2).Single(e => e[0] == "HEARTBEAT");
        var at = int.Parse(secondHeartbeat[1].TrimStart('+'), CultureInfo.InvariantCulture);
        Assert.InRange(at, 0, Math.Min(10_000, (int)(seconds * 1000) + 2_000));
    }

    [Fact]
    public async Task Dcos_recordio_reader_parses_the_operator_event_stream()
    {
        await NodeTooling.EnsureInstalledAsync(output);
        await using var cluster = await MesosCluster.StartAsync(output);

        var run = await NpmClients.ReadStreamAsync(cluster, output, NpmClients.OperatorPath, """{"type":"SUBSCRIBE"}""", count: 2, timeoutSeconds: 20);

        Assert.False(run.TimedOut, "operator-stream.js did not exit by its deadline");
        Assert.True(run.ExitCode == 0, $"operator-stream.js exited {run.ExitCode}");
        Assert.Equal(["SUBSCRIBED", "HEARTBEAT"], run.Lines("EVENT").Select(l => l.Split(' ')[0]));
    }
}
