using Mesos.Orleans.Grains.Streams;
using Microsoft.AspNetCore.Http.Features;

namespace Mesos.Orleans.Silo.Http;

/// <summary>Writes an <see cref="EventStream"/> as a streaming response: application/json, chunked, one
/// RecordIO record per write and flush, so each record is exactly one HTTP chunk.</summary>
public static class RecordIoResponse
{
    /// <summary>Streams until the master closes the stream or the client goes away.</summary>
    public static async Task WriteAsync(HttpContext context, EventStream stream, bool streamIdHeader = true)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        if (streamIdHeader)
        {
            response.Headers["Mesos-Stream-Id"] = stream.StreamId;
        }
        response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(context.RequestAborted);
        try
        {
            await foreach (var record in stream.Records.ReadAllAsync(context.RequestAborted))
            {
                await response.Body.WriteAsync(record, context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The subscriber went away; the caller tells the master.
        }
        catch (IOException)
        {
            // The connection broke mid-write; the same.
        }
    }
}
