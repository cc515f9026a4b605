using System.Buffers;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Master;

namespace Mesos.Orleans.Silo.Http;

/// <summary>Usage reports sent to a silo that does not run the master (an agent behind a load balancer, or one
/// that has not yet followed its SUBSCRIBED to the master's receiver): each report goes on to the master grain
/// as one call, which admits or drops it as the master's own endpoint would. The bounds and answers are those
/// of <see cref="AgentUsageApi"/>: 413 for a report over the bound, 400 for one that does not parse, 503 when
/// busy. The relay has a budget of its own, so that a flood is dropped here, before it costs a grain call and
/// a copy of each report (a flood passed on unbounded starved the silos' failure detection on a small machine).</summary>
public sealed class UsageRelay
{
    /// <summary>Report bytes this silo passes on at once: one report of the largest size, or about 400 of a
    /// 5-task agent (2.4 KB), far more than agents that follow their SUBSCRIBED ever send here.</summary>
    public const long MaxBytesInFlight = AgentUsageApi.MaxUsageBodyBytes;

    private const string Dropped = "This silo is busy passing usage reports on; the usage report was dropped";

    private const string Unreachable = "The master could not be reached; the usage report was dropped";

    private long _bytesInFlight;
    private int _rejected;
    private int _dropped;
    private int _counting;

    public async Task HandleOneAsync(HttpContext context, IMasterGrain master)
    {
        if (context.Request.ContentLength > AgentUsageApi.MaxUsageBodyBytes)
        {
            Count(master, rejected: 1, dropped: 0);
            await MesosRequest.WriteAsync(context, new CallResult(StatusCodes.Status413PayloadTooLarge, $"Request body is larger than {AgentUsageApi.MaxUsageBodyBytes} bytes"));
            return;
        }

        // Admitted before its body is read, as at the master: a body without a length counts as the largest.
        // Only a POST can carry one; anything else is answered (405) without reading or reserving.
        var bytes = HttpMethods.IsPost(context.Request.Method)
            ? Math.Min(context.Request.ContentLength ?? AgentUsageApi.MaxUsageBodyBytes, AgentUsageApi.MaxUsageBodyBytes)
            : 0;
        if (!TryAdmit(bytes))
        {
            Count(master, rejected: 0, dropped: 1);
            await MesosRequest.WriteAsync(context, CallResult.Unavailable(Dropped));
            return;
        }

        try
        {
            // The bytes go on as they came; the master reads them as it reads its own reports.
            var (json, error) = await MesosRequest.ReadBodyAsync(context, AgentUsageApi.MaxUsageBodyBytes, body => body.ToArray());
            if (error is not null)
            {
                Count(master, rejected: 1, dropped: 0);
                await MesosRequest.WriteAsync(context, error);
                return;
            }

            await MesosRequest.WriteAsync(context, await PassOnAsync(master, json!, context.Request.Headers["Mesos-Stream-Id"].FirstOrDefault()));
        }
        finally
        {
            Release(bytes);
        }
    }

    /// <summary>A stream of reports, each passed on in order as it arrives. A report dropped (503, here or at the
    /// master) is skipped, as on the master's own stream; any other refusal (a record that is not a USAGE call,
    /// say) ends the stream with the master's answer.</summary>
    public async Task HandleStreamAsync(HttpContext context, IMasterGrain master)
    {
        AgentUsageApi.AllowLongStream(context);

        var streamId = context.Request.Headers["Mesos-Stream-Id"].FirstOrDefault();
        try
        {
            await foreach (var batch in RecordIoRequestReader.ReadBatchesAsync(context.Request.BodyReader, AgentUsageApi.MaxUsageBodyBytes, record => record.ToArray(), context.RequestAborted))
            {
                foreach (var json in batch)
                {
                    if (await PassOnStreamedAsync(master, json, streamId) is { } refused)
                    {
                        await AgentUsageApi.EndStreamAsync(context, refused);
                        return;
                    }
                }
            }
        }
        catch (InvalidDataException e)
        {
            Count(master, rejected: 1, dropped: 0);
            await AgentUsageApi.EndStreamAsync(context, AgentUsageApi.StreamError(e));
            return;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            return; // The agent went away; it opens a new stream when it reconnects.
        }

        await MesosRequest.WriteAsync(context, CallResult.Accepted);
    }

    /// <summary>Passes one streamed report on; the answer that ends the stream when the master refused it for a
    /// reason other than being busy (the master counts what it refuses itself), or could not be reached (the
    /// agent then opens a new stream, perhaps to a silo that reaches it).</summary>
    private async Task<CallResult?> PassOnStreamedAsync(IMasterGrain master, byte[] json, string? streamId)
    {
        var bytes = json.Length;
        if (!TryAdmit(bytes))
        {
            Count(master, rejected: 0, dropped: 1);
            return null;
        }

        try
        {
            var answer = await PassOnAsync(master, json, streamId);
            return answer.StatusCode == StatusCodes.Status202Accepted || (answer.StatusCode == StatusCodes.Status503ServiceUnavailable && answer.Message != Unreachable) ? null : answer;
        }
        finally
        {
            Release(bytes);
        }
    }

    /// <summary>The master's answer to a report, or 503 when the call failed (the master's silo died, or it did
    /// not answer in time): a usage report is not worth an error of the silo's own.</summary>
    private static async Task<CallResult> PassOnAsync(IMasterGrain master, byte[] json, string? streamId)
    {
        try
        {
            return await master.ReportUsageJson(json, streamId);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return CallResult.Unavailable(Unreachable);
        }
    }

    /// <summary>Counts a report refused here at the master, without waiting: the counts of refusals that arrive
    /// while one call is out go together in the next, so that a flood costs the master a few calls, not one a
    /// report. Counts are best effort, as the reports are: a master out of reach loses them.</summary>
    private void Count(IMasterGrain master, int rejected, int dropped)
    {
        Interlocked.Add(ref _rejected, rejected);
        Interlocked.Add(ref _dropped, dropped);
        if (Interlocked.CompareExchange(ref _counting, 1, 0) == 0)
        {
            _ = SendCountsAsync(master);
        }
    }

    private async Task SendCountsAsync(IMasterGrain master)
    {
        try
        {
            while (true)
            {
                var rejected = Interlocked.Exchange(ref _rejected, 0);
                var dropped = Interlocked.Exchange(ref _dropped, 0);
                if (rejected == 0 && dropped == 0)
                {
                    break;
                }

                try
                {
                    await master.UsageReportsRefused(rejected, dropped);
                }
                catch (Exception e) when (e is OrleansException or TimeoutException)
                {
                    // Lost with the call; see Count.
                }
            }
        }
        finally
        {
            Volatile.Write(ref _counting, 0);
        }

        // A refusal counted between the last exchange and the flag's reset found the flag still set.
        if ((Volatile.Read(ref _rejected) != 0 || Volatile.Read(ref _dropped) != 0) && Interlocked.CompareExchange(ref _counting, 1, 0) == 0)
        {
            _ = SendCountsAsync(master);
        }
    }

    private bool TryAdmit(long bytes)
    {
        if (Interlocked.Add(ref _bytesInFlight, bytes) <= MaxBytesInFlight)
        {
            return true;
        }

        Release(bytes);
        return false;
    }

    private void Release(long bytes) => Interlocked.Add(ref _bytesInFlight, -bytes);
}
