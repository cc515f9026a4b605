using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mesos.Orleans.Testing.Processes;

/// <summary>
/// Free TCP ports on loopback, for processes the tests start. A port is only known free when it is picked; the
/// process binds it a moment later. Ports are therefore picked below the kernel's ephemeral range: a port the
/// system hands out (the local end of every outgoing connection, any listener on port 0 such as a master's
/// usage receiver) can never take one in that moment. Each test process starts at its own random place in the
/// range and goes on from there, so that two test processes rarely try the same port.
/// </summary>
public static class FreePort
{
    private const int Lowest = 10_000;
    private static readonly int Highest = EphemeralStart() - 1;
    private static int _next = Random.Shared.Next(Lowest, Highest);

    public static int Next()
    {
        for (var attempt = 0; attempt < Highest - Lowest; attempt++)
        {
            var port = Lowest + (int)((uint)Interlocked.Increment(ref _next) % (uint)(Highest - Lowest + 1));
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port on loopback between {Lowest} and {Highest}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux's default 32768 elsewhere).</summary>
    private static int EphemeralStart()
    {
        const string Range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(Range) && int.TryParse(File.ReadAllText(Range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start) && start > Lowest + 1000
            ? start
            : 32768;
    }
}
