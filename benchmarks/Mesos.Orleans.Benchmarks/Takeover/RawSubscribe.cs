using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mesos.Orleans.Benchmarks.Takeover;

/// <summary>What one raw SUBSCRIBE attempt came to: its outcome, the Location of a redirect, and whether the
/// master's SUBSCRIBED arrived before the stream ended.</summary>
internal readonly record struct RawAnswer(AttemptOutcome Outcome, string? Location, bool Subscribed);

/// <summary>
/// One agent SUBSCRIBE over a plain socket: HTTP/1.1 written by hand, the chunked RecordIO answer read until
/// the master ends it. Ten thousand simulated agents reconnecting through HttpClient cost their process
/// several milliseconds of CPU per failed attempt (every refusal an exception rethrown through the handler's
/// layers); a refusal seen seconds late was then counted as the master's. Here a refusal is a
/// <see cref="SocketError"/>, and a stream is only parsed until its SUBSCRIBED.
/// </summary>
internal static class RawSubscribe
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5); // as the agent's MasterClient

    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] SubscribedType = "\"SUBSCRIBED\""u8.ToArray();

    /// <summary>Subscribes at <paramref name="master"/> with <paramref name="body"/>; <paramref name="subscribed"/>
    /// gets the SUBSCRIBED event's record. Returns when the answer is not a stream, or when the stream ends.</summary>
    public static async Task<RawAnswer> RunAsync(Uri master, byte[] body, Action<byte[]> subscribed, TimeSpan? silenceLimit, CancellationToken stop)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var operation = new SocketOperation();
        using var closeOnStop = stop.UnsafeRegister(s => ((Socket)s!).Dispose(), socket);
        var buffer = ArrayPool<byte>.Shared.Rent(8192);
        var found = false;
        var silent = false;
        try
        {
            operation.RemoteEndPoint = new IPEndPoint(IPAddress.Parse(master.Host), master.Port);
            var connected = await ConnectAsync(socket, operation).ConfigureAwait(false);
            if (connected != SocketError.Success)
            {
                return new(connected == SocketError.ConnectionRefused ? AttemptOutcome.Refused
                    : connected is SocketError.OperationAborted or SocketError.TimedOut ? AttemptOutcome.TimedOut : AttemptOutcome.Broken, null, false);
            }

            // With a silence limit, as the agent (MasterClient, MasterConnection): a SUBSCRIBE unanswered, or a stream
            // silent, that long is given up, so that a master that hangs without closing its connections is left.
            var limit = silenceLimit ?? Timeout.InfiniteTimeSpan;
            using var silence = new Timer(_ => { silent = true; socket.Dispose(); }, null, limit, Timeout.InfiniteTimeSpan);
            var request = Request(master, body);
            operation.SetBuffer(request);
            if (await operation.RunAsync(o => socket.SendAsync(o)).ConfigureAwait(false) != SocketError.Success || operation.BytesTransferred != request.Length)
            {
                return new(AttemptOutcome.Broken, null, false);
            }

            // The status line and headers.
            var filled = 0;
            int headerEnd;
            while ((headerEnd = buffer.AsSpan(0, filled).IndexOf(HeaderEnd)) < 0)
            {
                var read = await ReceiveAsync(socket, operation, buffer, filled).ConfigureAwait(false);
                if (read <= 0 || filled + read == buffer.Length)
                {
                    return new(AttemptOutcome.Broken, null, false);
                }

                filled += read;
            }

            var headers = Encoding.ASCII.GetString(buffer, 0, headerEnd);
            var status = headers.Length > 12 && int.TryParse(headers.AsSpan(9, 3), out var code) ? code : 0;
            switch (status)
            {
                case 307:
                    return new(AttemptOutcome.Redirected, HeaderValue(headers, "location"), false);
                case 503:
                    return new(AttemptOutcome.NoLeader, null, false);
                case 200:
                    break;
                default:
                    return new(AttemptOutcome.Broken, null, false);
            }

            // The chunked RecordIO stream: parsed until SUBSCRIBED, then only drained until the master ends it.
            var stream = new ChunkedRecords();
            stream.Add(buffer.AsSpan(headerEnd + HeaderEnd.Length, filled - headerEnd - HeaderEnd.Length));
            while (true)
            {
                while (!found && stream.TryTakeRecord(out var record))
                {
                    if (record.AsSpan().IndexOf(SubscribedType) >= 0)
                    {
                        found = true;
                        subscribed(record);
                    }
                }

                var read = await ReceiveAsync(socket, operation, buffer, 0).ConfigureAwait(false);
                if (read <= 0)
                {
                    return new(silent ? AttemptOutcome.TimedOut : found ? AttemptOutcome.Subscribed : AttemptOutcome.Broken, null, found);
                }

                silence.Change(limit, Timeout.InfiniteTimeSpan);

                if (!found)
                {
                    stream.Add(buffer.AsSpan(0, read));
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Stopped, or the master went silent (the agent then moves on to the next master).
            return new(silent ? AttemptOutcome.TimedOut : found ? AttemptOutcome.Subscribed : AttemptOutcome.Broken, null, found);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<SocketError> ConnectAsync(Socket socket, SocketOperation operation)
    {
        using var timeout = new Timer(o => Socket.CancelConnectAsync((SocketAsyncEventArgs)o!), operation, ConnectTimeout, Timeout.InfiniteTimeSpan);
        return await operation.RunAsync(o => socket.ConnectAsync(o)).ConfigureAwait(false);
    }

    /// <summary>Bytes received into <paramref name="buffer"/> from <paramref name="offset"/>; 0 at the end of the
    /// stream, −1 on a socket error.</summary>
    private static async Task<int> ReceiveAsync(Socket socket, SocketOperation operation, byte[] buffer, int offset)
    {
        operation.SetBuffer(buffer, offset, buffer.Length - offset);
        return await operation.RunAsync(o => socket.ReceiveAsync(o)).ConfigureAwait(false) == SocketError.Success ? operation.BytesTransferred : -1;
    }

    private static byte[] Request(Uri master, byte[] body)
    {
        var head = Encoding.ASCII.GetBytes(
            $"POST /api/v1/agent HTTP/1.1\r\nHost: {master.Authority}\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        return [.. head, .. body];
    }

    private static string? HeaderValue(string headers, string name)
    {
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>A socket operation awaited without exceptions: its result is the <see cref="SocketError"/>.</summary>
    private sealed class SocketOperation : SocketAsyncEventArgs
    {
        private TaskCompletionSource<SocketError>? _done;

        public Task<SocketError> RunAsync(Func<SocketOperation, bool> start)
        {
            _done = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
            return start(this) ? _done.Task : Task.FromResult(SocketError);
        }

        protected override void OnCompleted(SocketAsyncEventArgs e) => _done?.TrySetResult(SocketError);
    }
}
