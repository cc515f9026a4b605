using System.Net;
using System.Net.Sockets;

namespace Mesos.Orleans.Testing.Processes;

/// <summary>A TCP proxy on a loopback port that hands each new connection to the next of several silos in
/// turn, as a load balancer in front of a cluster would. An HTTP client keeps a framework's event stream on
/// one connection and sends its calls on others, so through this proxy the stream and the calls reach
/// different silos.</summary>
public sealed class RoundRobinProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IReadOnlyList<Uri> _backends;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _next = -1;

    private RoundRobinProxy(TcpListener listener, IReadOnlyList<Uri> backends)
    {
        _listener = listener;
        _backends = backends;
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    public static RoundRobinProxy Start(IReadOnlyList<Uri> backends)
    {
        var listener = new TcpListener(IPAddress.Loopback, FreePort.Next());
        listener.Start();
        return new RoundRobinProxy(listener, backends);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || (e is SocketException && _stop.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException)
            {
                continue; // One failed accept (the client gave up in the backlog, say): keep serving the others.
            }

            var backend = _backends[(int)((uint)Interlocked.Increment(ref _next) % (uint)_backends.Count)];
            _ = RelayAsync(client, backend);
        }
    }

    /// <summary>Copies both ways until both sides have closed. A silo that is down closes the client at once, as a
    /// balancer with no health checks would.</summary>
    private async Task RelayAsync(TcpClient client, Uri backend)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                server.NoDelay = true;
                await server.ConnectAsync(backend.Host, backend.Port, _stop.Token).ConfigureAwait(false);
                await Task.WhenAll(PumpAsync(client.GetStream(), server.Client), PumpAsync(server.GetStream(), client.Client)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A refused connection, or the proxy stopping: the client sees its connection close.
            }
        }
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/> until it ends, then ends the sending side
    /// (or resets <paramref name="to"/> when <paramref name="from"/> was reset).
    /// When <paramref name="to"/> stops taking data (a silo answered before reading a whole body and closed),
    /// the rest is read and dropped: closing a socket with unread data resets it, and the client would lose
    /// the answer already on its way, which a direct connection to the silo delivers.</summary>
    private async Task PumpAsync(NetworkStream from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        var open = true;
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token).ConfigureAwait(false)) > 0)
            {
                if (open)
                {
                    try
                    {
                        await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    }
                    catch (SocketException)
                    {
                        open = false;
                    }
                }
            }

            if (open)
            {
                to.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The source was reset (a silo aborting a stream it refused) or the proxy is stopping: reset the other
            // side too, so that a client still sending learns of it as it would on a direct connection.
            try
            {
                to.LingerState = new LingerOption(true, 0);
                to.Close();
            }
            catch (Exception inner) when (inner is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }
        }
    }
}
