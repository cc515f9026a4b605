using System.Net.Sockets;
using System.Text;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Waiting;
using Xunit.Abstractions;
using static Mesos.Orleans.IntegrationTests.Usage.UsageEndpoints;

namespace Mesos.Orleans.IntegrationTests.Usage;

/// <summary>The master's own usage receiver (the usage_url of SUBSCRIBED), spoken to over a plain socket: it
/// reads streams in whatever pieces they come, answers bad input as Mesos would and closes, and a stream whose
/// reports the master refuses is ended with that refusal.</summary>
public sealed class UsageReceiverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_stream_sent_a_few_bytes_at_a_time_is_read_whole_and_answered_202_at_its_end()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 0);
        await using var agent = await FakeAgent.SubscribeAsync(cluster.Master);
        using var socket = await ConnectAsync(agent.UsageUrl);

        var report = agent.Report(tasks: 2);
        var stream = new MemoryStream();
        stream.Write(Encoding.ASCII.GetBytes(StreamHead(agent.UsageUrl, agent.StreamId)));
        for (var i = 0; i < 3; i++)
        {
            stream.Write(Chunk([.. Encoding.ASCII.GetBytes($"{report.Length}\n"), .. report]));
        }

        var bytes = stream.ToArray();
        for (var i = 0; i < bytes.Length; i += 97)
        {
            await socket.SendAsync(bytes.AsMemory(i, Math.Min(97, bytes.Length - i)));
        }

        await Eventually.TrueAsync(async _ => await MetricAsync(cluster, "master/usage/reports_accepted") >= 3, "the three reports to be taken", Patience);
        await socket.SendAsync("0\r\n\r\n"u8.ToArray());

        var answer = await ReadAnswerAsync(socket);
        Assert.StartsWith("HTTP/1.1 202 Accepted", answer, StringComparison.Ordinal);
        Assert.Equal(0, await MetricAsync(cluster, "master/usage/reports_rejected"));
    }

    [Fact]
    public async Task Bad_input_is_answered_and_closed_and_the_master_keeps_serving()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 0);
        await using var agent = await FakeAgent.SubscribeAsync(cluster.Master);

        using (var json = await ConnectAsync(agent.UsageUrl))
        {
            await json.SendAsync(Encoding.ASCII.GetBytes($"POST /api/v1/agent/usage HTTP/1.1\r\nHost: {agent.UsageUrl.Authority}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}"));
            Assert.StartsWith("HTTP/1.1 415", await ReadAnswerAsync(json), StringComparison.Ordinal);
        }

        using (var garbage = await ConnectAsync(agent.UsageUrl))
        {
            await garbage.SendAsync(Encoding.ASCII.GetBytes(StreamHead(agent.UsageUrl, agent.StreamId) + "not-hex\r\n"));
            Assert.StartsWith("HTTP/1.1 400", await ReadAnswerAsync(garbage), StringComparison.Ordinal);
        }

        using (var oversized = await ConnectAsync(agent.UsageUrl))
        {
            await oversized.SendAsync(Encoding.ASCII.GetBytes(StreamHead(agent.UsageUrl, agent.StreamId)));
            await oversized.SendAsync(Chunk(Encoding.ASCII.GetBytes("99999999\n{")));
            Assert.StartsWith("HTTP/1.1 413", await ReadAnswerAsync(oversized), StringComparison.Ordinal);
        }

        // Reports on a stream of another subscription are refused; the stream ends with the refusal.
        using (var stale = await ConnectAsync(agent.UsageUrl))
        {
            var report = agent.Report(tasks: 1);
            byte[] record = [.. Encoding.ASCII.GetBytes($"{report.Length}\n"), .. report];
            await stale.SendAsync(Encoding.ASCII.GetBytes(StreamHead(agent.UsageUrl, "not-the-stream")));
            await stale.SendAsync(Chunk(record));
            var answer = await SendUntilAnsweredAsync(stale, Chunk(record));
            Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
            Assert.Contains("Mesos-Stream-Id", answer, StringComparison.Ordinal);
        }

        Assert.True(await MetricAsync(cluster, "master/usage/reports_rejected") >= 2);
        Assert.True((await OperatorAsync(cluster, OperatorCallType.GET_HEALTH)).GetHealth!.Healthy);
    }

    private static string StreamHead(Uri usage, string streamId) =>
        $"POST {usage.AbsolutePath} HTTP/1.1\r\nHost: {usage.Authority}\r\nContent-Type: application/recordio\r\nTransfer-Encoding: chunked\r\nMesos-Stream-Id: {streamId}\r\n\r\n";

    private static byte[] Chunk(byte[] data) => [.. Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), .. data, .. "\r\n"u8.ToArray()];

    private static async Task<Socket> ConnectAsync(Uri url)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(url.Host, url.Port);
        return socket;
    }

    /// <summary>Everything the master writes until it closes the connection.</summary>
    private static async Task<string> ReadAnswerAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            answer.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(answer.ToArray());
    }

    /// <summary>Keeps sending <paramref name="record"/> (the master answers a refused report's stream at its next
    /// record, once the refusal has been decided) until the master answers and closes.</summary>
    private static async Task<string> SendUntilAnsweredAsync(Socket socket, byte[] record)
    {
        var answered = ReadAnswerAsync(socket);
        await Eventually.TrueAsync(
            async _ =>
            {
                if (!answered.IsCompleted)
                {
                    try
                    {
                        await socket.SendAsync(record);
                    }
                    catch (SocketException)
                    {
                        // Closed by the master: its answer is in.
                    }
                }

                return answered.IsCompleted;
            },
            "the master to end the stream",
            Patience,
            TimeSpan.FromMilliseconds(200));
        return await answered;
    }

    private static async Task<double> MetricAsync(MesosCluster cluster, string name) =>
        (await OperatorAsync(cluster, OperatorCallType.GET_METRICS)).GetMetrics!.Metrics!.Single(m => m.Name == name).Value ?? 0;
}
