using System.Threading.Channels;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;

namespace Mesos.Orleans.Grains.Streams;

/// <summary>One subscriber's outgoing RecordIO stream (a scheduler's or an agent's). The master writes
/// framed records without ever blocking its loop; the HTTP layer drains them, one record per write.
/// A subscriber that falls <see cref="Capacity"/> records behind is cut off rather than let the master's
/// memory grow: it reconnects and reconciles, as after any disconnection. The bound is generous because a
/// framework launching 100k tasks at once legitimately receives that many updates within seconds.</summary>
public sealed class EventStream : IDisposable
{
    public const int Capacity = 256 * 1024;

    private readonly Channel<byte[]> _records = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly ITimer? _heartbeat;
    private volatile bool _closed;

    public EventStream(string streamId, TimeProvider time, TimeSpan heartbeatInterval, object heartbeatEvent)
    {
        StreamId = streamId;
        var heartbeatRecord = RecordIo.Frame(MesosJson.SerializeToUtf8(heartbeatEvent));
        _heartbeat = time.CreateTimer(_ => Send(heartbeatRecord), null, heartbeatInterval, heartbeatInterval);
    }

    public string StreamId { get; }

    public ChannelReader<byte[]> Records => _records.Reader;

    public bool IsClosed => _closed;

    /// <summary>Serialises and queues one event; false when the stream is closed or overflowing.</summary>
    public bool Send(object @event) => Send(RecordIo.Frame(MesosJson.SerializeToUtf8(@event)));

    /// <summary>Sends a last event, then ends the stream (used for ERROR).</summary>
    public void SendAndClose(object @event)
    {
        Send(@event);
        Close();
    }

    public void Close()
    {
        _closed = true;
        _heartbeat?.Dispose();
        _records.Writer.TryComplete();
    }

    public void Dispose() => Close();

    /// <summary>Queues an already framed record, so one event can go to many streams serialised once.</summary>
    public bool SendRecord(byte[] record) => Send(record);

    private bool Send(byte[] record)
    {
        if (_records.Writer.TryWrite(record))
        {
            return true;
        }

        Close();
        return false;
    }
}
