using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Mesos.Orleans.Silo.Usage;

/// <summary>
/// A Linux epoll set of sockets, asked without waiting which of them have bytes to read: what the usage
/// receiver's tick needs, at a cost proportional to the sockets that are ready rather than to all of them
/// (a <c>poll</c> over ten thousand idle streams ten times a second cost more than the reports it found).
/// Edge-triggered: a socket is named once per arrival of bytes, so whoever leaves bytes unread must come back
/// for them on its own. Level-triggered, every socket named was polled again at the next wait to find it
/// empty — a second visit to ten thousand cold socket structures, which cost as much as the first.
/// </summary>
internal sealed partial class Epoll : IDisposable
{
    private const int CtlAdd = 1;
    private const int CtlDel = 2;
    private const uint In = 0x001;
    private const uint ReadHangUp = 0x2000;
    private const uint EdgeTriggered = 1u << 31;
    private const int CloseOnExec = 0x80000;
    private const int MaxEvents = 1024;

    // struct epoll_event is packed on x86-64 (12 bytes), naturally aligned elsewhere (16 bytes).
    private static readonly int Stride = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private readonly int _fd;
    private readonly byte[] _events = new byte[MaxEvents * Stride];

    public Epoll()
    {
        _fd = Create(CloseOnExec);
        if (_fd < 0)
        {
            throw new IOException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public void Add(int socket)
    {
        Span<byte> @event = stackalloc byte[Stride];
        BinaryPrimitives.WriteUInt32LittleEndian(@event, In | ReadHangUp | EdgeTriggered);
        BinaryPrimitives.WriteInt64LittleEndian(@event[DataOffset..], socket);
        if (Control(_fd, CtlAdd, socket, @event) != 0)
        {
            throw new IOException($"epoll_ctl(ADD) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Removes a socket before it is closed (closing would remove it too, but only once every
    /// duplicate of its descriptor is closed).</summary>
    public void Remove(int socket)
    {
        Span<byte> @event = stackalloc byte[Stride];
        _ = Control(_fd, CtlDel, socket, @event);
    }

    /// <summary>Adds the sockets that received bytes (or were closed by their peer) since the last call to
    /// <paramref name="ready"/>, without waiting.</summary>
    public void Ready(List<int> ready)
    {
        while (true)
        {
            var count = Wait(_fd, _events, MaxEvents, 0);
            if (count < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == 4)
                {
                    continue; // EINTR
                }

                throw new IOException($"epoll_wait failed: errno {errno}");
            }

            for (var i = 0; i < count; i++)
            {
                ready.Add((int)BinaryPrimitives.ReadInt64LittleEndian(_events.AsSpan((i * Stride) + DataOffset)));
            }

            if (count < MaxEvents)
            {
                return;
            }
        }
    }

    public void Dispose() => _ = Close(_fd);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int Create(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int Control(int epoll, int operation, int fd, Span<byte> @event);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int Wait(int epoll, Span<byte> events, int maxEvents, int timeout);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
