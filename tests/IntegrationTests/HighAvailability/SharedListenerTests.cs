using System.Net;
using System.Net.Sockets;
using System.Text;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Silo;
using Mesos.Orleans.Silo.HighAvailability;
using Mesos.Orleans.Testing.Processes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.IntegrationTests.HighAvailability;

/// <summary>An HA master's hosts take turns on one listening socket: between one host stopping and the next
/// starting (a standby being elected) a client's connection is accepted by the kernel and answered by the next
/// host, not refused.</summary>
public sealed class SharedListenerTests
{
    [Fact]
    public async Task A_connection_made_between_two_hosts_is_answered_by_the_second()
    {
        var options = new MasterOptions { Ip = "127.0.0.1", Port = FreePort.Next() };
        using var listener = SharedListener.Bind(options.Ip, options.Port);
        using var http = new HttpClient();

        var standby = await StartAsync("standby", options, listener);
        Assert.Equal("standby", await http.GetStringAsync($"http://127.0.0.1:{options.Port}/who"));
        await standby.StopAsync();
        await standby.DisposeAsync();

        // No host now: the connection is still made (it waits in the accept queue), and its request with it.
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, options.Port);
        await client.SendAsync(Encoding.ASCII.GetBytes("GET /who HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));

        var leader = await StartAsync("leader", options, listener);
        try
        {
            using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var stream = new NetworkStream(client);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var response = await reader.ReadToEndAsync(reading.Token);
            Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
            Assert.EndsWith("leader", response, StringComparison.Ordinal);
        }
        finally
        {
            await leader.StopAsync();
            await leader.DisposeAsync();
        }
    }

    private static async Task<WebApplication> StartAsync(string name, MasterOptions options, SharedListener listener)
    {
        var builder = MasterHost.NewBuilder([], options, listener);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/who", () => Results.Text(name));
        await app.StartAsync();
        return app;
    }
}
