using System.Net;
using System.Net.Sockets;
using System.Text;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.ClientLibrary;

/// <summary><see cref="SchedulerSession"/> against a raw HTTP/1.1 server on loopback that controls how the
/// stream's bytes are cut.</summary>
public sealed class SchedulerSessionTests
{
    [Fact]
    public async Task Events_that_arrive_in_the_same_read_as_SUBSCRIBED_are_not_lost()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var master = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        var server = ServeAsync(listener);

        await using var session = await SchedulerSession.SubscribeAsync(master, new FrameworkInfo { User = "u", Name = "n" });
        var events = new List<EventType?>();
        await foreach (var @event in session.EventsAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
        {
            events.Add(@event.Type);
        }

        await server;
        Assert.Equal("f-1", session.FrameworkId.Value);
        Assert.Equal([EventType.HEARTBEAT, EventType.OFFERS], events);
    }

    /// <summary>Answers one SUBSCRIBE with SUBSCRIBED, a HEARTBEAT and an OFFERS event in a single chunk (as a
    /// silo relaying a batch of records writes them), then ends the stream.</summary>
    private static async Task ServeAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        await using var stream = client.GetStream();
        await ReadHeadersAsync(stream);
        var records = Frame(new Event { Type = EventType.SUBSCRIBED, Subscribed = new SubscribedEvent { FrameworkId = new FrameworkId("f-1"), HeartbeatIntervalSeconds = 15 } })
            .Concat(Frame(Event.Heartbeat()))
            .Concat(Frame(new Event { Type = EventType.OFFERS, Offers = new OffersEvent { Offers = [] } }))
            .ToArray();
        var head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMesos-Stream-Id: s-1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + $"{records.Length:x}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(records).Concat(Encoding.ASCII.GetBytes("\r\n0\r\n\r\n")).ToArray());
        await stream.FlushAsync();
    }

    private static byte[] Frame(Event @event) => RecordIo.Frame(MesosJson.SerializeToUtf8(@event));

    private static async Task ReadHeadersAsync(NetworkStream stream)
    {
        var seen = new List<byte>();
        var buffer = new byte[1];
        while (!seen.TakeLast(4).SequenceEqual("\r\n\r\n"u8.ToArray()))
        {
            if (await stream.ReadAsync(buffer) == 0)
            {
                return;
            }

            seen.Add(buffer[0]);
        }

        var headers = Encoding.ASCII.GetString([.. seen]);
        var length = headers.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } line
            ? int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
    }
}
