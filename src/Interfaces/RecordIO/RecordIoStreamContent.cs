using System.Net;
using System.Threading.Channels;

namespace Mesos.Orleans.Interfaces.RecordIO;

/// <summary>A request body that never ends on its own: each record written to <see cref="Send"/> goes out at
/// once as one RecordIO frame (one HTTP chunk). It holds at most one record waiting: a newer one replaces it,
/// because for usage reports only the latest counts and a slow master must not make the sender queue.</summary>
public sealed class RecordIoStreamContent : HttpContent
{
    private readonly Channel<byte[]> _records = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public RecordIoStreamContent(string mediaType = "application/recordio") =>
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);

    /// <summary>Queues a payload (unframed); replaces one still waiting.</summary>
    public void Send(byte[] payload) => _records.Writer.TryWrite(RecordIo.Frame(payload));

    /// <summary>Ends the body after what is queued.</summary>
    public void Complete() => _records.Writer.TryComplete();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await foreach (var record in _records.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await stream.WriteAsync(record, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Complete();
        }

        base.Dispose(disposing);
    }
}
