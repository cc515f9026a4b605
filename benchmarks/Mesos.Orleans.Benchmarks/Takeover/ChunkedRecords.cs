using System.Buffers;
using System.Buffers.Text;
using Mesos.Orleans.Silo.Http;

namespace Mesos.Orleans.Benchmarks.Takeover;

/// <summary>Takes RecordIO records (<c>length\n</c> then that many bytes, split by the master's own
/// <see cref="RecordIoRequestReader"/>) out of an HTTP/1.1 chunked body fed in whatever pieces the socket
/// gives: the simulated agents' reader of the master's event stream.</summary>
internal sealed class ChunkedRecords
{
    private readonly ArrayBufferWriter<byte> _raw = new();
    private readonly ArrayBufferWriter<byte> _body = new();
    private int _rawRead;
    private int _bodyRead;

    public void Add(ReadOnlySpan<byte> bytes)
    {
        _raw.Write(bytes);
        Dechunk();
    }

    public bool TryTakeRecord(out byte[] record)
    {
        record = [];
        var pending = new ReadOnlySequence<byte>(_body.WrittenMemory[_bodyRead..]);
        var before = pending.Length;
        if (!RecordIoRequestReader.TryRead(ref pending, long.MaxValue, out var one))
        {
            return false;
        }

        record = one.ToArray();
        _bodyRead += (int)(before - pending.Length);
        return true;
    }

    /// <summary>Moves every whole chunk from the raw bytes to the body.</summary>
    private void Dechunk()
    {
        while (true)
        {
            var pending = _raw.WrittenSpan[_rawRead..];
            var lineEnd = pending.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return;
            }

            var sizeText = pending[..lineEnd];
            var extension = sizeText.IndexOf((byte)';');
            if (!Utf8Parser.TryParse(extension < 0 ? sizeText : sizeText[..extension], out int size, out _, 'x'))
            {
                throw new InvalidDataException("Bad chunk size");
            }

            if (pending.Length < lineEnd + 2 + size + 2)
            {
                return;
            }

            _body.Write(pending.Slice(lineEnd + 2, size));
            _rawRead += lineEnd + 2 + size + 2;
        }
    }
}
