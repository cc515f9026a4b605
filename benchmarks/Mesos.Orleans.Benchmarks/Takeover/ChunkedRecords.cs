using System.Buffers;
using System.Buffers.Text;

namespace Mesos.Orleans.Benchmarks.Takeover;

/// <summary>Takes RecordIO records (<c>length\n</c> then that many bytes) out of an HTTP/1.1 chunked body fed
/// in whatever pieces the socket gives: the simulated agents' reader of the master's event stream.</summary>
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
        var pending = _body.WrittenSpan[_bodyRead..];
        var newline = pending.IndexOf((byte)'\n');
        if (newline < 0 || !Utf8Parser.TryParse(pending[..newline], out int length, out _) || pending.Length < newline + 1 + length)
        {
            return false;
        }

        record = pending.Slice(newline + 1, length).ToArray();
        _bodyRead += newline + 1 + length;
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
