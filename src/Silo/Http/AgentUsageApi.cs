using Mesos.Orleans.Grains.Master;
using System.Buffers;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Usage;
using Mesos.Orleans.Interfaces.Agent;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Net.Http.Headers;

namespace Mesos.Orleans.Silo.Http;

/// <summary>POST /api/v1/agent/usage: agents' USAGE calls, best effort and bounded (docs/agent-protocol.md).
/// Either one call as JSON, or — what agents do — a long-lived stream of calls as RecordIO
/// (Content-Type application/recordio), so that a report costs the master a record, not an HTTP request.</summary>
public static class AgentUsageApi
{
    /// <summary>The largest report, whether a JSON body or one record of a stream: a report of
    /// <see cref="AgentUsage.MaxTasks"/> tasks stays well below it.</summary>
    public const long MaxUsageBodyBytes = 1024 * 1024;

    private const string Dropped = "The master is busy; the usage report was dropped";

    /// <summary>Usage reports feed the master core in this process; a silo without it passes each report on to the
    /// master grain (<see cref="UsageRelay"/>). Agents' SUBSCRIBED names the master's silo, so relaying is the
    /// exception: agents behind a load balancer.</summary>
    public static Task HandleAsync(HttpContext context, MasterAccess access, LocalMaster local, UsageRelay relay)
    {
        var stream = HttpMethods.IsPost(context.Request.Method) && IsRecordIo(context.Request.ContentType);
        if (local.Current is not { } master)
        {
            return stream ? relay.HandleStreamAsync(context, access.Current) : relay.HandleOneAsync(context, access.Current);
        }

        return stream ? HandleStreamAsync(context, master) : HandleOneAsync(context, master);
    }

    /// <summary>One report. It is admitted before its body is read: when the master already has its fill of
    /// reports in flight it is dropped with 503 (the agent's next one replaces it).</summary>
    private static async Task HandleOneAsync(HttpContext context, MasterCore master)
    {
        if (context.Request.ContentLength > MaxUsageBodyBytes)
        {
            master.CountRejectedUsageReport();
            await MesosRequest.WriteAsync(context, new CallResult(StatusCodes.Status413PayloadTooLarge, $"Request body is larger than {MaxUsageBodyBytes} bytes"));
            return;
        }

        // A body without a length may be as large as allowed: it is admitted as that.
        var bytes = Math.Min(context.Request.ContentLength ?? MaxUsageBodyBytes, MaxUsageBodyBytes);
        if (!master.TryAdmitUsageReport(bytes))
        {
            await MesosRequest.WriteAsync(context, CallResult.Unavailable(Dropped));
            return;
        }

        // Until the master has the report, the admission is this request's to release, whatever ends it (an
        // agent that resets the connection mid-body would otherwise hold its share of the budget for good).
        var streamId = context.Request.Headers["Mesos-Stream-Id"].FirstOrDefault();
        var handedOver = false;
        Task<CallResult>? answer;
        CallResult? error;
        try
        {
            (answer, error) = await MesosRequest.ReadBodyAsync(context, MaxUsageBodyBytes, json =>
            {
                handedOver = true;
                return master.ReportUsageJsonAsync(json, streamId, bytes);
            });
        }
        finally
        {
            if (!handedOver)
            {
                master.ReleaseUsageReport(bytes);
            }
        }

        if (error is not null)
        {
            master.CountRejectedUsageReport();
            await MesosRequest.WriteAsync(context, error);
            return;
        }

        await MesosRequest.WriteAsync(context, await answer!);
    }

    /// <summary>A stream of reports, read as they arrive for as long as the agent keeps it open, and queued
    /// without waiting for the master. Reports that find the master full are skipped (dropped); a broken or
    /// oversized record ends the stream with 400 or 413, and a report the master refused (the agent
    /// resubscribed, say) ends it with the master's answer at the next record.</summary>
    private static async Task HandleStreamAsync(HttpContext context, MasterCore master)
    {
        AllowLongStream(context);

        var streamId = context.Request.Headers["Mesos-Stream-Id"].FirstOrDefault();
        var state = new UsageStreamState();
        try
        {
            await foreach (var batch in RecordIoRequestReader.ReadBatchesAsync(context.Request.BodyReader, MaxUsageBodyBytes, Admit(master, state), context.RequestAborted))
            {
                if (state.Refusal is { } refused)
                {
                    Release(master, batch, state);
                    await EndStreamAsync(context, refused);
                    return;
                }

                foreach (var (report, bytes) in batch)
                {
                    if (report is not null)
                    {
                        master.QueueUsageReport(report, streamId, bytes, state);
                    }
                }
            }
        }
        catch (InvalidDataException e)
        {
            master.CountRejectedUsageReport();
            await EndStreamAsync(context, StreamError(e));
            return;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            return; // The agent went away; it opens a new stream when it reconnects.
        }

        await MesosRequest.WriteAsync(context, CallResult.Accepted);
    }

    /// <summary>A stream lives as long as the agent's subscription and is quiet between reports: no body size
    /// limit and no minimum data rate.</summary>
    internal static void AllowLongStream(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }
    }

    /// <summary>Answers and then drops the connection: the agent is still sending its body, which would
    /// otherwise keep the request (and the agent's view of it) open; either way it opens a new stream.</summary>
    internal static async Task EndStreamAsync(HttpContext context, CallResult result)
    {
        await MesosRequest.WriteAsync(context, result);
        await context.Response.CompleteAsync();
        context.Abort();
    }

    /// <summary>The answer to a usage stream whose RecordIO framing broke: 413 for a record over the bound, else 400.</summary>
    internal static CallResult StreamError(InvalidDataException e) => e.Message.Contains("more than", StringComparison.Ordinal)
        ? new CallResult(StatusCodes.Status413PayloadTooLarge, e.Message)
        : CallResult.BadRequest($"Failed to read the RecordIO stream: {e.Message}");

    /// <summary>Parses a record if the master admits it; a dropped or unparsable record becomes (null, 0).</summary>
    private static Func<ReadOnlySequence<byte>, (UsageReport? Report, long Bytes)> Admit(MasterCore master, UsageStreamState stream) =>
        record => Admit(master, record, stream) is { } report ? (report, record.Length) : (null, 0);

    /// <summary>The report in <paramref name="record"/> (read into a report the stream had spare) if the
    /// master admits it and it parses; else null (a dropped report, or a rejected one, counted). An admitted
    /// report is the master's to apply or release.</summary>
    internal static UsageReport? Admit(MasterCore master, ReadOnlySequence<byte> record, UsageStreamState stream)
    {
        if (!master.TryAdmitUsageReport(record.Length))
        {
            return null;
        }

        var report = stream.TakeReport();
        if (UsageReportReader.TryLoad(report, record))
        {
            return report;
        }

        stream.Recycle(report);
        master.ReleaseUsageReport(record.Length);
        master.CountRejectedUsageReport();
        return null;
    }

    /// <summary>Releases the admissions of a batch that will not be applied.</summary>
    private static void Release(MasterCore master, List<(UsageReport? Report, long Bytes)> batch, UsageStreamState stream)
    {
        foreach (var (report, bytes) in batch)
        {
            if (report is not null)
            {
                master.ReleaseUsageReport(bytes);
                stream.Recycle(report);
            }
        }
    }

    private static bool IsRecordIo(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals("application/recordio", StringComparison.OrdinalIgnoreCase);
}
