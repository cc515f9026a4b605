using System.Runtime.CompilerServices;

namespace Mesos.Orleans.Interfaces.RecordIO;

/// <summary>Reads RecordIO records from a stream, whatever the chunk boundaries.</summary>
public sealed class RecordIoReader
{
    private const int MaxLengthDigits = 20;
    private readonly Stream _stream;
    private readonly long _maxRecordBytes;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public RecordIoReader(Stream stream, long maxRecordBytes = 64L * 1024 * 1024)
    {
        _stream = stream;
        _maxRecordBytes = maxRecordBytes;
    }

    /// <summary>The next record's payload, or null at a clean end of stream.</summary>
    /// <exception cref="InvalidDataException">The framing is broken or a record is too large.</exception>
    public async ValueTask<byte[]?> ReadAsync(CancellationToken cancellationToken = default)
    {
        long length = 0;
        var digits = 0;
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return digits == 0 ? null : throw new InvalidDataException("RecordIO stream ended inside a length");
            }

            var b = _buffer[_start++];
            if (b == (byte)'\n')
            {
                break;
            }

            if (b is < (byte)'0' or > (byte)'9' || ++digits > MaxLengthDigits)
            {
                throw new InvalidDataException($"RecordIO length has an invalid byte 0x{b:x2}");
            }

            length = (length * 10) + (b - '0');
            if (length > _maxRecordBytes)
            {
                throw new InvalidDataException($"RecordIO record of more than {_maxRecordBytes} bytes");
            }
        }

        if (digits == 0)
        {
            throw new InvalidDataException("RecordIO record without a length");
        }

        var payload = new byte[length];
        var copied = 0;
        while (copied < length)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidDataException("RecordIO stream ended inside a record");
            }

            var n = (int)Math.Min(length - copied, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(payload.AsSpan(copied));
            _start += n;
            copied += n;
        }

        return payload;
    }

    public async IAsyncEnumerable<byte[]> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            yield return record;
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        return _end > 0;
    }
}
