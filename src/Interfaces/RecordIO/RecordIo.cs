using System.Buffers.Text;

namespace Mesos.Orleans.Interfaces.RecordIO;

/// <summary>RecordIO framing: "&lt;decimal length&gt;\n&lt;payload&gt;", repeated. Each record is framed into one
/// buffer so that it goes out as exactly one HTTP chunk; a popular client loses records otherwise.</summary>
public static class RecordIo
{
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        Span<byte> digits = stackalloc byte[20];
        if (!Utf8Formatter.TryFormat((ulong)payload.Length, digits, out var written))
        {
            throw new InvalidOperationException("unreachable: a length always fits in 20 digits");
        }

        var record = new byte[written + 1 + payload.Length];
        digits[..written].CopyTo(record);
        record[written] = (byte)'\n';
        payload.CopyTo(record.AsSpan(written + 1));
        return record;
    }
}
