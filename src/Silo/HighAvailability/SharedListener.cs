using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Mesos.Orleans.Silo.HighAvailability;

/// <summary>The master's listening socket, bound once for the life of the process and lent to each web host in
/// turn: the standby's, the leader's once elected, a standby's again after stepping down. Swapping hosts then
/// never closes the port. A connection made while one host stops and the next starts waits in the kernel's
/// accept queue and is served by the next host, where a closed port refused it; each refusal cost an agent a
/// step of its reconnection backoff, and after a few the slowest of 10,000 agents came back to the new leader
/// seconds after the rest.</summary>
public sealed partial class SharedListener : IDisposable
{
    // The kernel caps it at net.core.somaxconn; a failover brings every agent back within a second or two.
    private const int Backlog = 8192;

    private readonly Socket _socket;

    private SharedListener(Socket socket) => _socket = socket;

    public static SharedListener Bind(string ip, int port)
    {
        var address = IPAddress.Parse(ip);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(Backlog);
            return new SharedListener(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A duplicate of the socket's descriptor for one host (Kestrel's <c>ListenHandle</c>), which that
    /// host closes when it stops; the socket itself stays open and listening.</summary>
    public ulong Lend()
    {
        var duplicate = Dup((int)_socket.SafeHandle.DangerousGetHandle());
        return duplicate >= 0
            ? (ulong)duplicate
            : throw new IOException($"Could not duplicate the master's listening socket (errno {Marshal.GetLastPInvokeError()})");
    }

    public void Dispose() => _socket.Dispose();

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);
}
