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
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var enumerator = items.GetAsyncEnumerator(ending.Token);
        var death = default(CancellationTokenRegistration);
        var remote = false;
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

            if (enumerator.Current.Silo is { } silo
                && context.RequestServices.GetService<Cluster.SiloDeathWatch>() is { } watch
                && !silo.Equals(context.RequestServices.GetService<ILocalSiloDetails>()?.SiloAddress))
            {
                death = watch.DeathOf(silo).Register(ending.Cancel);
                remote = true;
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
            // Orleans does not end a pull from a silo that died: the silo's death ends the wait.
            while (remote ? await enumerator.MoveNextAsync().AsTask().WaitAsync(ending.Token) : await enumerator.MoveNextAsync())
            {
                await response.Body.WriteAsync(enumerator.Current.Record, context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (Exception e) when (response.HasStarted && IsEndOfStream(e, ending.Token))
        {
            // The subscriber went away, the connection broke mid-write, or the master's activation was lost
            // (its silo declared dead): the stream ends here and the subscriber reconnects, as after any
            // disconnection, and finds the master wherever the cluster has activated it again.
        }
        finally
        {
            await death.DisposeAsync();
            if (ending.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
            {
                // The master's silo is dead: its enumerator cannot be told, and a pull may still be pending. The
                // connection is closed as a dead master's would be, so that even a client that waits for the
                // socket to close (not for the response's end) reconnects now.
                _ = DisposeAsync(enumerator).AsTask();
                context.Abort();
            }
            else
            {
                await DisposeAsync(enumerator);
            }
        }
    }

    /// <summary>Ends the subscription at the master; a master already lost has ended it itself.</summary>
    private static async ValueTask DisposeAsync(IAsyncEnumerator<MasterStreamItem> enumerator)
    {
        try
        {
            await enumerator.DisposeAsync();
        }
        catch (Exception e) when (e is OrleansException or EnumerationAbortedException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            // Ended already, or gone with its silo.
        }
    }

    private static bool IsEndOfStream(Exception e, CancellationToken ending) => e switch
    {
        OperationCanceledException => ending.IsCancellationRequested,
        IOException or OrleansException or EnumerationAbortedException or TimeoutException => true,
        _ => false,
    };
}
