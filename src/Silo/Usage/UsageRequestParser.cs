using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Mesos.Orleans.Grains.Core;

namespace Mesos.Orleans.Silo.Usage;

/// <summary>
/// Reads one usage stream as the bytes come off its socket: the HTTP/1.1 request head (POST of
/// <c>application/recordio</c> to <c>/api/v1/agent/usage</c>), then the body — chunked, or of a Content-Length —
/// split into RecordIO records. Everything is bounded: a head of at most <see cref="MaxHeadBytes"/>, a record
/// of at most <see cref="MaxRecordBytes"/>; while a stream is between records it holds no buffer at all.
/// A violation ends the stream with the status Mesos's HTTP layer would give.
/// </summary>
public sealed class UsageRequestParser
{
    public const int MaxHeadBytes = 16 * 1024;
    public const long MaxRecordBytes = Http.AgentUsageApi.MaxUsageBodyBytes;
    private const int MaxChunkLineBytes = 1024;

    private readonly PendingBytes _head = new();
    private readonly PendingBytes _line = new();
    private readonly PendingBytes _body = new();
    private State _state = State.Head;
    private long _remaining; // of the current chunk, or of a Content-Length body

    private enum State
    {
        Head,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailer,
        LengthData,
        Done,
    }

    /// <summary>The request's Mesos-Stream-Id (once the head is read).</summary>
    public string? StreamId { get; private set; }

    /// <summary>The body has ended, every record of it has been handed out.</summary>
    public bool Completed => _state == State.Done;

    /// <summary>Takes <paramref name="bytes"/> and hands every record they complete to <paramref name="record"/>.</summary>
    /// <returns>Null while the stream goes on or has ended cleanly (see <see cref="Completed"/>); else the
    /// answer that ends it.</returns>
    public CallResult? Feed(ReadOnlySpan<byte> bytes, Action<ReadOnlySequence<byte>> record)
    {
        while (!bytes.IsEmpty)
        {
            var (consumed, error) = Step(bytes, record);
            if (error is not null)
            {
                _body.Release();
                _head.Release();
                return error;
            }

            bytes = bytes[consumed..];
        }

        return null;
    }

    /// <summary>The stream's bytes ended (the agent closed its side): an error unless the body was complete.</summary>
    public CallResult? End() => _state == State.Done ? null : CallResult.BadRequest("Failed to read the RecordIO stream: the request ended early");

    private (int Consumed, CallResult? Error) Step(ReadOnlySpan<byte> bytes, Action<ReadOnlySequence<byte>> record)
    {
        switch (_state)
        {
            case State.Head:
                return ReadHead(bytes);
            case State.ChunkSize:
                return ReadChunkSize(bytes);
            case State.ChunkData:
            case State.LengthData:
            {
                var take = (int)Math.Min(_remaining, bytes.Length);
                var error = AddBody(bytes[..take], record);
                _remaining -= take;
                if (_remaining == 0)
                {
                    _state = _state == State.ChunkData ? State.ChunkDataEnd : State.Done;
                    if (_state == State.Done)
                    {
                        error ??= BodyEnded();
                    }
                }

                return (take, error);
            }

            case State.ChunkDataEnd:
            {
                var (consumed, complete, error) = ReadLine(bytes);
                if (complete)
                {
                    error ??= Line.Length == 0 ? null : CallResult.BadRequest("Bad chunked encoding: data longer than its chunk size");
                    _line.Release();
                    _state = State.ChunkSize;
                }

                return (consumed, error);
            }

            case State.Trailer:
            {
                var (consumed, complete, error) = ReadLine(bytes);
                if (complete)
                {
                    if (Line.Length == 0)
                    {
                        _state = State.Done;
                        error ??= BodyEnded();
                    }

                    _line.Release();
                }

                return (consumed, error);
            }

            default:
                return (bytes.Length, CallResult.BadRequest("Unexpected bytes after the end of the request"));
        }
    }

    private (int Consumed, CallResult? Error) ReadHead(ReadOnlySpan<byte> bytes)
    {
        var before = _head.Length;
        var room = MaxHeadBytes - before;
        var take = Math.Min(room, bytes.Length);
        _head.Append(bytes[..take]);
        var end = _head.Span.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return take < bytes.Length || _head.Length >= MaxHeadBytes
                ? (take, new CallResult(431, $"Request headers are larger than {MaxHeadBytes} bytes"))
                : (take, null);
        }

        var head = Encoding.ASCII.GetString(_head.Span[..end]);
        _head.Release();
        var error = ParseHead(head);
        return (end + 4 - before, error);
    }

    private CallResult? ParseHead(string head)
    {
        var lines = head.Split("\r\n");
        var request = lines[0].Split(' ');
        if (request.Length != 3 || !request[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return CallResult.BadRequest("Malformed HTTP request line");
        }

        var path = request[1].Split('?')[0];
        if (path is not ("/api/v1/agent/usage" or "/master/api/v1/agent/usage"))
        {
            return new CallResult(404, $"Nothing is served at {path} on the usage port");
        }

        if (request[0] != "POST")
        {
            return new CallResult(405, "Expecting 'POST'");
        }

        string? contentType = null;
        string? transferEncoding = null;
        long? contentLength = null;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return CallResult.BadRequest("Malformed HTTP header line");
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                transferEncoding = value;
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
                {
                    return CallResult.BadRequest("Malformed Content-Length");
                }

                contentLength = length;
            }
            else if (name.Equals("Mesos-Stream-Id", StringComparison.OrdinalIgnoreCase))
            {
                StreamId = value;
            }
        }

        if (contentType is null || !contentType.Split(';')[0].Trim().Equals("application/recordio", StringComparison.OrdinalIgnoreCase))
        {
            return new CallResult(415, "Expecting 'Content-Type' of application/recordio");
        }

        if (transferEncoding is not null)
        {
            if (!transferEncoding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                return new CallResult(501, $"Transfer-Encoding '{transferEncoding}' is not supported");
            }

            _state = State.ChunkSize;
            return null;
        }

        if (contentLength is not { } bodyLength)
        {
            return new CallResult(411, "Expecting a chunked body or a Content-Length");
        }

        _remaining = bodyLength;
        _state = bodyLength == 0 ? State.Done : State.LengthData;
        return null;
    }

    private (int Consumed, CallResult? Error) ReadChunkSize(ReadOnlySpan<byte> bytes)
    {
        var (consumed, complete, error) = ReadLine(bytes);
        if (!complete || error is not null)
        {
            return (consumed, error);
        }

        var text = Line;
        var extension = text.IndexOf((byte)';');
        var digits = extension < 0 ? text : text[..extension];
        if (digits.Length == 0 || digits.Length > 15 || !Utf8Parser.TryParse(digits, out long size, out var parsed, 'x') || parsed != digits.Length)
        {
            _line.Release();
            return (consumed, CallResult.BadRequest("Bad chunked encoding: malformed chunk size"));
        }

        _line.Release();

        _remaining = size;
        _state = size == 0 ? State.Trailer : State.ChunkData;
        return (consumed, null);
    }

    /// <summary>Reads a CRLF-terminated line, carried over between calls: complete when it is all there, and
    /// then <see cref="Line"/> until the caller releases it.</summary>
    private (int Consumed, bool Complete, CallResult? Error) ReadLine(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)'\n');
        var take = end < 0 ? bytes.Length : end + 1;
        if (_line.Length + take > MaxChunkLineBytes)
        {
            return (take, false, CallResult.BadRequest("Bad chunked encoding: line too long"));
        }

        _line.Append(bytes[..take]);
        if (end < 0)
        {
            return (take, false, null);
        }

        var line = _line.Span;
        if (line.Length < 2 || line[^2] != (byte)'\r')
        {
            _line.Release();
            return (take, false, CallResult.BadRequest("Bad chunked encoding: a line not ended by CRLF"));
        }

        return (take, true, null);
    }

    /// <summary>The line <see cref="ReadLine"/> completed, without its CRLF.</summary>
    private ReadOnlySpan<byte> Line => _line.Span[..^2];

    /// <summary>Adds body bytes and hands out the records they complete.</summary>
    private CallResult? AddBody(ReadOnlySpan<byte> bytes, Action<ReadOnlySequence<byte>> record)
    {
        _body.Append(bytes);
        var pending = new ReadOnlySequence<byte>(_body.Memory);
        try
        {
            while (Http.RecordIoRequestReader.TryRead(ref pending, MaxRecordBytes, out var one))
            {
                record(one);
            }
        }
        catch (InvalidDataException e)
        {
            return Http.AgentUsageApi.StreamError(e);
        }

        _body.Consume(_body.Length - (int)pending.Length);
        return null;
    }

    private CallResult? BodyEnded() => _body.Length == 0
        ? null
        : CallResult.BadRequest("Failed to read the RecordIO stream: RecordIO stream ended inside a record");
}
