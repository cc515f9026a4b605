using System.Buffers;
using System.IO.Pipelines;

namespace Mesos.Orleans.Silo.Http;

/// <summary>Splits a streamed request body (RecordIO: "&lt;length&gt;\n&lt;payload&gt;", repeated) into records as they
/// arrive, straight from Kestrel's pooled pipe: an idle stream holds no buffer of its own, which matters
/// when every agent keeps one open.</summary>
public static class RecordIoRequestReader
{
    private const int MaxLengthDigits = 20;

    /// <summary>Takes the first complete record off <paramref name="buffer"/>; false when it is not all there yet.</summary>
    /// <exception cref="InvalidDataException">Broken framing, or a record longer than <paramref name="maxRecordBytes"/>.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, long maxRecordBytes, out ReadOnlySequence<byte> record)
    {
        record = default;
        var reader = new SequenceReader<byte>(buffer);
        long length = 0;
        var digits = 0;
        while (true)
        {
            if (!reader.TryRead(out var b))
            {
                return false;
            }

            if (b == (byte)'\n')
            {
                break;
            }

            if (b is < (byte)'0' or > (byte)'9' || ++digits > MaxLengthDigits)
            {
                throw new InvalidDataException($"RecordIO length has an invalid byte 0x{b:x2}");
            }

            length = (length * 10) + (b - '0');
            if (length > maxRecordBytes)
            {
                throw new InvalidDataException($"RecordIO record of more than {maxRecordBytes} bytes");
            }
        }

        if (digits == 0)
        {
            throw new InvalidDataException("RecordIO record without a length");
        }

        if (reader.Remaining < length)
        {
            return false;
        }

        record = buffer.Slice(reader.Position, length);
        buffer = buffer.Slice(record.End);
        return true;
    }

    /// <summary>Every record of the body, in order, handed to <paramref name="parse"/> while its bytes are still
    /// in the pipe; the parsed values are returned in batches as they arrive. Ends at the end of the body.</summary>
    public static async IAsyncEnumerable<List<T>> ReadBatchesAsync<T>(
        PipeReader body, long maxRecordBytes, Func<ReadOnlySequence<byte>, T> parse, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var batch = new List<T>();
            try
            {
                while (TryRead(ref buffer, maxRecordBytes, out var record))
                {
                    batch.Add(parse(record));
                }
            }
            finally
            {
                body.AdvanceTo(buffer.Start, buffer.End);
            }

            if (batch.Count > 0)
            {
                yield return batch;
            }

            if (result.IsCompleted)
            {
                if (!buffer.IsEmpty)
                {
                    throw new InvalidDataException("RecordIO stream ended inside a record");
                }

                yield break;
            }
        }
    }
}
