using System.Globalization;
using System.Net;
using System.Text;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Testing.Waiting;
using Mesos.Orleans.Testing.Processes;
using Xunit.Abstractions;
using static Mesos.Orleans.IntegrationTests.Usage.UsageEndpoints;

namespace Mesos.Orleans.IntegrationTests.Usage;

/// <summary>Usage reports are best effort and bounded: a misbehaving agent on the real protocol can neither
/// grow the master's memory nor stop it serving.</summary>
public sealed class UsageFloodTests(ITestOutputHelper output)
{
    /// <summary>Lying reports sent after the warm-up ones.</summary>
    private const int MoreLies = 800;

    [Fact]
    public async Task A_flood_of_oversized_and_lying_usage_reports_is_refused_and_the_master_keeps_serving()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 0);
        await using var liar = await FakeAgent.SubscribeAsync(cluster.Master);
        var residentBefore = ResidentBytes(cluster.Masters[0].Pid);

        // Reports past 1 MiB are refused before they are read.
        var oversized = liar.Report(tasks: 20_000);
        Assert.True(oversized.Length > 1024 * 1024, $"the oversized report is {oversized.Length} bytes");
        var refused = await InBatchesAsync(64, 8, () => liar.PostUsageAsync(oversized));
        Assert.All(refused, status => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status));
        output.WriteLine($"master resident memory after the oversized reports: {ResidentBytes(cluster.Masters[0].Pid) >> 20} MiB");

        // Reports within the bound that claim tasks the agent does not run are taken, and those tasks ignored.
        var lying = liar.Report(tasks: 5_000);
        Assert.True(lying.Length < 1024 * 1024);
        var answers = await InBatchesAsync(200, 100, () => liar.PostUsageAsync(lying));
        var residentWarm = ResidentBytes(cluster.Masters[0].Pid);
        answers.AddRange(await InBatchesAsync(MoreLies, 100, () => liar.PostUsageAsync(lying)));
        Assert.All(answers, status => Assert.True(status is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, $"answered {status}"));
        output.WriteLine($"{answers.Count(s => s == HttpStatusCode.Accepted)} accepted, {answers.Count(s => s == HttpStatusCode.ServiceUnavailable)} dropped while the loop was busy");

        var utilization = await UtilizationAsync(cluster);
        var agent = Assert.Single(utilization.Agents!);
        Assert.Equal(0, agent.Resources!.Cpus!.Used);
        Assert.Equal(0, agent.Resources.Mem!.Used);
        Assert.Equal(0, utilization.Cluster!.Cpus!.Used);
        Assert.Empty(utilization.Roles ?? []);

        // Every report is accounted for, and the master still answers.
        var metrics = (await OperatorAsync(cluster, OperatorCallType.GET_METRICS)).GetMetrics!.Metrics!.ToDictionary(m => m.Name!, m => m.Value ?? 0);
        Assert.True(metrics["master/usage/reports_rejected"] >= 64);
        Assert.Equal(answers.Count(s => s == HttpStatusCode.Accepted), metrics["master/usage/reports_accepted"]);
        Assert.Equal(answers.Count(s => s == HttpStatusCode.ServiceUnavailable), metrics["master/usage/reports_dropped"]);
        Assert.True((await OperatorAsync(cluster, OperatorCallType.GET_HEALTH)).GetHealth!.Healthy);

        // The first lies warm the heap up; the many more after them must not grow it by more than a fraction
        // of what they carried: nothing of them is kept. (What the garbage collector holds on to between its
        // collections moves with the machine's load by a couple of hundred MiB, so the bound is relative to
        // the bytes sent, of which a master that kept the lies would hold more than all.)
        var residentAfter = ResidentBytes(cluster.Masters[0].Pid);
        var sent = (long)lying.Length * MoreLies;
        output.WriteLine($"master resident memory: {residentBefore >> 20} MiB at the start, {residentWarm >> 20} MiB after 200 lies, {residentAfter >> 20} MiB after {MoreLies} more ({sent >> 20} MiB sent)");
        Assert.True(residentAfter - residentWarm < sent / 2, $"the master's resident memory grew from {residentWarm} to {residentAfter} bytes after {sent} bytes of lies");
    }

    [Fact]
    public async Task Reports_whose_senders_vanish_mid_body_give_their_share_of_the_budget_back()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 0);
        await using var agent = await FakeAgent.SubscribeAsync(cluster.Master);

        // Each promises almost 1 MiB, sends a little of it and resets the connection: more than the master's
        // 16 MiB of reports in flight, were their admissions kept.
        for (var i = 0; i < 20; i++)
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await socket.ConnectAsync(cluster.Master.Host, cluster.Master.Port);
            var head = $"POST /api/v1/agent/usage HTTP/1.1\r\nHost: {cluster.Master.Authority}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\nMesos-Stream-Id: {agent.StreamId}\r\n\r\n{{\"type\":\"USAGE\",";
            await socket.SendAsync(Encoding.ASCII.GetBytes(head));
            socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
            socket.Close();
        }

        await Eventually.TrueAsync(
            async _ => await agent.PostUsageAsync(agent.Report(tasks: 1)) == HttpStatusCode.Accepted,
            "a report to be taken after the vanished ones",
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_usage_report_with_a_wrong_stream_id_or_from_an_unknown_agent_is_refused()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 0);
        await using var liar = await FakeAgent.SubscribeAsync(cluster.Master);
        using var content = new ByteArrayContent(liar.Report(tasks: 1));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(cluster.Master, "/api/v1/agent/usage")) { Content = content };
        request.Headers.Add("Mesos-Stream-Id", "not-the-stream");

        using var response = await cluster.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Mesos-Stream-Id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"-Infinity\"")]
    [InlineData("-0.5")]
    public async Task A_usage_report_with_a_figure_no_sum_can_take_is_refused_with_400(string cpus)
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 0);
        await using var agent = await FakeAgent.SubscribeAsync(cluster.Master);
        var body = Encoding.UTF8.GetBytes($$$"""{"type":"USAGE","agent_id":{"value":"{{{agent.Id.Value}}}"},"usage":{"tasks":[{"cpus_used":{{{cpus}}}}]}}""");
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(cluster.Master, "/api/v1/agent/usage")) { Content = content };
        request.Headers.Add("Mesos-Stream-Id", agent.StreamId);

        using var response = await cluster.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("finite and not negative", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_usage_stream_takes_reports_as_they_come_and_ends_with_413_at_an_oversized_record(bool toReceiver)
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 0);
        await using var liar = await FakeAgent.SubscribeAsync(cluster.Master);
        Assert.NotEqual(cluster.Master.Port, liar.UsageUrl.Port);
        using var content = new RecordIoStreamContent();
        var response = liar.OpenUsageStreamAsync(content, toReceiver);

        content.Send(liar.Report(tasks: 3));
        await Eventually.TrueAsync(async _ => await AcceptedAsync(cluster) >= 1, "the streamed report to be taken", TimeSpan.FromSeconds(30));
        content.Send(liar.Report(tasks: 2));
        await Eventually.TrueAsync(async _ => await AcceptedAsync(cluster) >= 2, "the second streamed report to be taken", TimeSpan.FromSeconds(30));
        Assert.False(response.IsCompleted, "the stream stays open between reports");

        // The master answers 413 and drops the connection. An HTTP/1.1 client reads the answer only once its
        // body is done, so the sender learns of it when its next report fails to go out, and opens a new stream.
        content.Send(liar.Report(tasks: 20_000));
        await Eventually.TrueAsync(async _ => await RejectedAsync(cluster) >= 1, "the oversized record to be refused", TimeSpan.FromSeconds(30));
        var small = liar.Report(tasks: 1);
        await Eventually.TrueAsync(
            () =>
            {
                content.Send(small);
                return response.IsCompleted;
            },
            "the next report to find the stream ended",
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(200));
        if (response.IsCompletedSuccessfully)
        {
            using var answer = await response;
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
        }

        var metrics = (await OperatorAsync(cluster, OperatorCallType.GET_METRICS)).GetMetrics!.Metrics!;
        Assert.Equal(1, metrics.Single(m => m.Name == "master/usage/reports_rejected").Value);
        Assert.True((await OperatorAsync(cluster, OperatorCallType.GET_HEALTH)).GetHealth!.Healthy);
    }

    private static async Task<double> RejectedAsync(MesosCluster cluster) =>
        (await OperatorAsync(cluster, OperatorCallType.GET_METRICS)).GetMetrics!.Metrics!.Single(m => m.Name == "master/usage/reports_rejected").Value ?? 0;

    private static async Task<double> AcceptedAsync(MesosCluster cluster) =>
        (await OperatorAsync(cluster, OperatorCallType.GET_METRICS)).GetMetrics!.Metrics!.Single(m => m.Name == "master/usage/reports_accepted").Value ?? 0;

    private static async Task<List<HttpStatusCode>> InBatchesAsync(int total, int concurrency, Func<Task<HttpStatusCode>> send)
    {
        var results = new List<HttpStatusCode>(total);
        for (var sent = 0; sent < total; sent += concurrency)
        {
            results.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, total - sent)).Select(_ => send())));
        }

        return results;
    }

    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
