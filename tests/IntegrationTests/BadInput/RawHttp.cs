using System.Net.Sockets;
using System.Text;

namespace Mesos.Orleans.IntegrationTests.BadInput;

/// <summary>HTTP/1.1 by hand over a socket, for requests HttpClient will not send (broken framing, bodies
/// the server answers before they are fully sent). The body is written concurrently with reading the answer,
/// and write errors are ignored: a server may answer early and close.</summary>
public static class RawHttp
{
    public sealed record RawAnswer(int Status, Dictionary<string, string> Headers, string Body)
    {
        public override string ToString() => $"{Status} \"{(Body.Length > 200 ? Body[..200] + "..." : Body)}\"";
    }

    public static async Task<RawAnswer?> SendAsync(Uri master, string head, Func<Stream, CancellationToken, Task>? writeBody = null)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var client = new TcpClient();
        await client.ConnectAsync(master.Host, master.Port, deadline.Token);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), deadline.Token);
        var writer = Task.Run(async () =>
        {
            try
            {
                if (writeBody is not null)
                {
                    await writeBody(stream, deadline.Token);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server answered early and closed: expected for refused bodies.
            }
        });

        RawAnswer? answer;
        try
        {
            answer = await ReadAnswerAsync(stream, deadline.Token);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException)
        {
            answer = null;
        }

        client.Close();
        await writer;
        return answer;
    }

    private static async Task<RawAnswer?> ReadAnswerAsync(Stream stream, CancellationToken cancellationToken)
    {
        var statusLine = await ReadLineAsync(stream, cancellationToken);
        if (statusLine is null)
        {
            return null;
        }

        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (await ReadLineAsync(stream, cancellationToken) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        using var body = new MemoryStream();
        if (headers.TryGetValue("Content-Length", out var length))
        {
            var buffer = new byte[int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)];
            await stream.ReadExactlyAsync(buffer, cancellationToken);
            body.Write(buffer);
        }
        else if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (await ReadLineAsync(stream, cancellationToken) is { } sizeLine)
            {
                var size = Convert.ToInt32(sizeLine.Split(';')[0], 16);
                if (size == 0)
                {
                    break;
                }

                var chunk = new byte[size];
                await stream.ReadExactlyAsync(chunk, cancellationToken);
                body.Write(chunk);
                await ReadLineAsync(stream, cancellationToken);
            }
        }

        return new RawAnswer(status, headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    private static async Task<string?> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return line.Length == 0 ? null : line.ToString();
            }

            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }
    }
}
