using System.Net;
using System.Net.Sockets;

namespace Mesos.Orleans.Testing.Processes;

/// <summary>Free TCP ports on loopback, for processes the tests start.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
