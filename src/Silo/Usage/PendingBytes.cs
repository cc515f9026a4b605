using System.Buffers;

namespace Mesos.Orleans.Silo.Usage;

/// <summary>Bytes carried over from one read to the next (a partial line or record), in a pooled array that
/// is given back as soon as nothing is pending — ten thousand idle streams hold no buffers.</summary>
internal sealed class PendingBytes
{
    private byte[]? _array;
    private int _start;
    private int _end;

    public int Length => _end - _start;

    public ReadOnlySpan<byte> Span => _array is null ? [] : _array.AsSpan(_start, Length);

    public ReadOnlyMemory<byte> Memory => _array is null ? ReadOnlyMemory<byte>.Empty : _array.AsMemory(_start, Length);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if (_array is null)
        {
            _array = ArrayPool<byte>.Shared.Rent(Math.Max(bytes.Length, 4096));
        }
        else if (_array.Length - _end < bytes.Length)
        {
            var bigger = _array.Length - Length < bytes.Length ? ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, Length + bytes.Length)) : _array;
            Span.CopyTo(bigger);
            if (!ReferenceEquals(bigger, _array))
            {
                ArrayPool<byte>.Shared.Return(_array);
            }

            _end = Length;
            _start = 0;
            _array = bigger;
        }

        bytes.CopyTo(_array.AsSpan(_end));
        _end += bytes.Length;
    }

    public void Consume(int count)
    {
        _start += count;
        if (_start == _end)
        {
            Release();
        }
    }

    public void Release()
    {
        if (_array is not null)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = null;
        _start = _end = 0;
    }
}
