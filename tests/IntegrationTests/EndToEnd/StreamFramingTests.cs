using System.Net.Sockets;
using System.Text;
using Mesos.Orleans.Testing.Processes;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.EndToEnd;

/// <summary>The subscription stream on the wire, read from a raw socket: clients such as the npm
/// mesos-framework package lose events unless every RecordIO record is exactly one HTTP chunk.</summary>
public sealed class StreamFramingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Each_record_of_the_subscription_stream_is_exactly_one_http_chunk()
    {
        await using var cluster = await MesosCluster.StartAsync(output, agents: 1);
        using var client = new TcpClient();
        await client.ConnectAsync(cluster.Master.Host, cluster.Master.Port);
        await using var network = client.GetStream();
        const string body = """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"raw"}}}""";
        var request = $"POST /api/v1/scheduler HTTP/1.1\r\nHost: {cluster.Master.Authority}\r\nContent-Type: application/json\r\n" +
                      $"Content-Length: {body.Length}\r\n\r\n{body}";
        await network.WriteAsync(Encoding.ASCII.GetBytes(request));

        var reader = new RawHttpReader(network);
        var headers = await reader.ReadHeadersAsync();
        Assert.StartsWith("HTTP/1.1 200", headers[0], StringComparison.Ordinal);
        Assert.Contains(headers, h => h.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(headers, h => h.StartsWith("Content-Type: application/json", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(headers, h => h.StartsWith("Mesos-Stream-Id: ", StringComparison.OrdinalIgnoreCase));

        // SUBSCRIBED, the first HEARTBEAT, then OFFERS: three chunks, each one whole record.
        var types = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var chunk = Encoding.UTF8.GetString(await reader.ReadChunkAsync());
            var newline = chunk.IndexOf('\n', StringComparison.Ordinal);
            var length = int.Parse(chunk[..newline], System.Globalization.CultureInfo.InvariantCulture);
            var payload = chunk[(newline + 1)..];
            Assert.Equal(length, Encoding.UTF8.GetByteCount(payload));
            types.Add(System.Text.Json.JsonDocument.Parse(payload).RootElement.GetProperty("type").GetString()!);
        }

        Assert.Equal(["SUBSCRIBED", "HEARTBEAT", "OFFERS"], types);
    }

    /// <summary>Just enough HTTP/1.1 to see the chunk boundaries a client sees.</summary>
    private sealed class RawHttpReader(NetworkStream stream)
    {
        private readonly byte[] _one = new byte[1];

        public async Task<List<string>> ReadHeadersAsync()
        {
            var lines = new List<string>();
            while (await ReadLineAsync() is { Length: > 0 } line)
            {
                lines.Add(line);
            }

            return lines;
        }

        public async Task<byte[]> ReadChunkAsync()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var size = Convert.ToInt32(await ReadLineAsync(deadline.Token), 16);
            var chunk = new byte[size];
            await stream.ReadExactlyAsync(chunk, deadline.Token);
            Assert.Equal(string.Empty, await ReadLineAsync(deadline.Token));
            return chunk;
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken = default)
        {
            var line = new StringBuilder();
            while (true)
            {
                await stream.ReadExactlyAsync(_one, cancellationToken);
                if (_one[0] == '\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                line.Append((char)_one[0]);
            }
        }
    }
}
