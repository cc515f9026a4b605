using System.Buffers;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Mesos.Orleans.Silo.Http;

/// <summary>Usage reports sent to a silo that does not run the master (an agent behind a load balancer, or one
/// that has not yet followed its SUBSCRIBED to the master's receiver): each report goes on to the master grain
/// as one call, which admits or drops it as the master's own endpoint would. The bounds and answers are those
/// of <see cref="AgentUsageApi"/>: 413 for a report over the bound, 400 for one that does not parse.</summary>
internal static class UsageRelay
{
    public static async Task HandleOneAsync(HttpContext context, IMasterGrain master)
    {
        if (context.Request.ContentLength > AgentUsageApi.MaxUsageBodyBytes)
        {
            await master.UsageReportsRejected(1);
            await MesosRequest.WriteAsync(context, new CallResult(StatusCodes.Status413PayloadTooLarge, $"Request body is larger than {AgentUsageApi.MaxUsageBodyBytes} bytes"));
            return;
        }

        var (call, error) = await MesosRequest.ReadAsync<AgentCall>(context, AgentUsageApi.MaxUsageBodyBytes);
        error ??= call!.Type == AgentCallType.USAGE ? null : CallResult.BadRequest("Expecting 'type' to be USAGE");
        if (error is not null)
        {
            await master.UsageReportsRejected(1);
            await MesosRequest.WriteAsync(context, error);
            return;
        }

        var bytes = Math.Min(context.Request.ContentLength ?? AgentUsageApi.MaxUsageBodyBytes, AgentUsageApi.MaxUsageBodyBytes);
        await MesosRequest.WriteAsync(context, await master.ReportUsage(call!, context.Request.Headers["Mesos-Stream-Id"].FirstOrDefault(), bytes));
    }

    /// <summary>A stream of reports, each passed on in order as it arrives. A report the master drops (503) is
    /// skipped, as on the master's own stream; any other refusal ends the stream with that answer.</summary>
    public static async Task HandleStreamAsync(HttpContext context, IMasterGrain master)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }

        var streamId = context.Request.Headers["Mesos-Stream-Id"].FirstOrDefault();
        try
        {
            await foreach (var batch in RecordIoRequestReader.ReadBatchesAsync(context.Request.BodyReader, AgentUsageApi.MaxUsageBodyBytes, Parse, context.RequestAborted))
            {
                foreach (var (call, bytes) in batch)
                {
                    if (call?.Type != AgentCallType.USAGE)
                    {
                        await master.UsageReportsRejected(1);
                        await EndStreamAsync(context, CallResult.BadRequest("Expecting each record to be a USAGE call"));
                        return;
                    }

                    // The master counts what it refuses itself.
                    var answer = await master.ReportUsage(call, streamId, bytes);
                    if (answer.StatusCode is not (StatusCodes.Status202Accepted or StatusCodes.Status503ServiceUnavailable))
                    {
                        await EndStreamAsync(context, answer);
                        return;
                    }
                }
            }
        }
        catch (InvalidDataException e)
        {
            await master.UsageReportsRejected(1);
            await EndStreamAsync(context, AgentUsageApi.StreamError(e));
            return;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            return; // The agent went away; it opens a new stream when it reconnects.
        }

        await MesosRequest.WriteAsync(context, CallResult.Accepted);
    }

    private static (AgentCall? Call, long Bytes) Parse(ReadOnlySequence<byte> record)
    {
        try
        {
            return (MesosJson.Deserialize<AgentCall>(record.IsSingleSegment ? record.FirstSpan : record.ToArray()), record.Length);
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, record.Length);
        }
    }

    private static async Task EndStreamAsync(HttpContext context, CallResult result)
    {
        await MesosRequest.WriteAsync(context, result);
        await context.Response.CompleteAsync();
        context.Abort();
    }
}
