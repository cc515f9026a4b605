using Mesos.Orleans.Grains.Master;
using Microsoft.AspNetCore.Http.Features;

namespace Mesos.Orleans.Silo.Http;

/// <summary>Writes a subscription from the master grain as a streaming response: application/json, chunked,
/// one RecordIO record per write and flush, so each record is exactly one HTTP chunk.</summary>
public static class RecordIoResponse
{
    /// <summary>Answers the subscription's refusal, or streams its records until the master ends the stream,
    /// the client goes away, or the master's silo is lost (the client then reconnects, to any silo).
    /// Leaving ends the subscription at the master.</summary>
    public static async Task WriteAsync(HttpContext context, IAsyncEnumerable<MasterStreamItem> items, bool streamIdHeader = true)
    {
        var response = context.Response;
        var enumerator = items.GetAsyncEnumerator(context.RequestAborted);
        try
        {
            if (!await enumerator.MoveNextAsync())
            {
                await MesosRequest.WriteAsync(context, Grains.Core.CallResult.Unavailable("The master ended the subscription before it started"));
                return;
            }

            if (enumerator.Current.Error is { } error)
            {
                response.Headers.Remove(SchedulerApi.LeaderTermHeader);
                await MesosRequest.WriteAsync(context, error);
                return;
            }

            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json";
            if (streamIdHeader)
            {
                response.Headers["Mesos-Stream-Id"] = enumerator.Current.StreamId;
            }

            response.Headers.CacheControl = "no-cache";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.StartAsync(context.RequestAborted);
            while (await enumerator.MoveNextAsync())
            {
                await response.Body.WriteAsync(enumerator.Current.Record, context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (Exception e) when (response.HasStarted && IsEndOfStream(e, context))
        {
            // The subscriber went away, the connection broke mid-write, or the master's activation was lost:
            // the stream ends here and the subscriber reconnects, as after any disconnection.
        }
        finally
        {
            await DisposeAsync(enumerator);
        }
    }

    /// <summary>Ends the subscription at the master; a master already lost has ended it itself.</summary>
    private static async ValueTask DisposeAsync(IAsyncEnumerator<MasterStreamItem> enumerator)
    {
        try
        {
            await enumerator.DisposeAsync();
        }
        catch (Exception e) when (e is OrleansException or EnumerationAbortedException or TimeoutException or OperationCanceledException)
        {
        }
    }

    private static bool IsEndOfStream(Exception e, HttpContext context) => e switch
    {
        OperationCanceledException => context.RequestAborted.IsCancellationRequested,
        IOException or OrleansException or EnumerationAbortedException or TimeoutException => true,
        _ => false,
    };
}
