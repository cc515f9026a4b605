using System.Text.Json;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;

namespace Mesos.Orleans.Client.Http;

/// <summary>Reads the typed events of one streaming answer (RecordIO of JSON records). A read returns the
/// next event, or why the stream is over: closed by the master, broken, or silent for longer than allowed
/// (a master that stopped heartbeating is as good as gone).</summary>
internal sealed class EventStreamReader<T> : IDisposable
    where T : class
{
    private readonly HttpResponseMessage _response;
    private readonly RecordIoReader _reader;
    private readonly TimeProvider _time;

    private EventStreamReader(HttpResponseMessage response, Stream body, TimeProvider time)
    {
        _response = response;
        _reader = new RecordIoReader(body);
        _time = time;
    }

    /// <summary>Takes ownership of a 200 answer whose headers have been read.</summary>
    public static async Task<EventStreamReader<T>> OpenAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new EventStreamReader<T>(response, body, time);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The next event, or null with the reason the stream ended. Cancellation by the caller throws.</summary>
    /// <param name="idleLimit">How long the stream may stay silent.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    public async Task<(T? Event, string? EndReason)> ReadAsync(TimeSpan idleLimit, CancellationToken cancellationToken)
    {
        using var deadline = new CallDeadline(idleLimit, _time, cancellationToken);
        try
        {
            var record = await _reader.ReadAsync(deadline.Token).ConfigureAwait(false);
            if (record is null)
            {
                return (null, "the master closed the stream");
            }

            return MesosJson.Deserialize<T>(record) is { } @event ? (@event, null) : (null, "the master sent an empty record");
        }
        catch (OperationCanceledException) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"no event from the master for {idleLimit.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is IOException or HttpRequestException or JsonException or InvalidDataException or ObjectDisposedException)
        {
            return (null, $"the stream broke: {e.Message}");
        }
    }

    public void Dispose() => _response.Dispose();
}
