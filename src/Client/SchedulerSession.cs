using System.Net;
using System.Runtime.CompilerServices;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Client;

/// <summary>One subscription of a framework to one master over the v1 scheduler HTTP API: the raw event
/// stream as <see cref="IAsyncEnumerable{T}"/>, and the calls sent beside it with its stream id. No leader
/// following, reconnection, typing or acknowledgement: it is for tools that measure the master itself
/// (the benchmarks); frameworks use <see cref="MesosClient.CreateScheduler"/>.</summary>
public sealed class SchedulerSession : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;

    // One reader for the whole stream: it buffers past the record it returns, so a second reader over the same
    // body would lose what the first had read ahead (SUBSCRIBED and the next events often come in one read).
    private readonly RecordIoReader _records;

    private SchedulerSession(Uri master, HttpClient http, HttpResponseMessage response, Stream body, RecordIoReader records, string streamId, Event subscribed)
    {
        Master = master;
        _http = http;
        _response = response;
        _body = body;
        _records = records;
        StreamId = streamId;
        Subscribed = subscribed.Subscribed!;
    }

    /// <summary>The master this session is subscribed to.</summary>
    public Uri Master { get; }

    /// <summary>The <c>Mesos-Stream-Id</c> the master gave this subscription.</summary>
    public string StreamId { get; }

    /// <summary>The SUBSCRIBED event: the framework's ID, the heartbeat interval, the master's info.</summary>
    public SubscribedEvent Subscribed { get; }

    /// <summary>The framework's ID, assigned by the master on first subscription.</summary>
    public FrameworkId FrameworkId => Subscribed.FrameworkId!;

    /// <summary>Subscribes a framework and waits for SUBSCRIBED.</summary>
    /// <param name="master">The master's base URL.</param>
    /// <param name="framework">The framework.</param>
    /// <param name="cancellationToken">Cancels the subscription.</param>
    /// <returns>The open session, which the caller disposes.</returns>
    /// <exception cref="MesosCallException">The master refused the subscription.</exception>
    public static async Task<SchedulerSession> SubscribeAsync(Uri master, FrameworkInfo framework, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(framework);
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var call = new Call { Type = CallType.SUBSCRIBE, FrameworkId = framework.Id, Subscribe = new SubscribeCall { FrameworkInfo = framework } };
            using var request = SchedulerRequests.Create(master, call, streamId: null);
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                using (response)
                {
                    throw new MesosCallException(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                }
            }

            var streamId = response.Headers.TryGetValues("Mesos-Stream-Id", out var ids) ? ids.First() : string.Empty;
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var records = new RecordIoReader(body);
            var first = await records.ReadAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new MesosCallException(response.StatusCode, "The stream ended before SUBSCRIBED");
            var @event = MesosJson.Deserialize<Event>(first);
            if (@event?.Type != EventType.SUBSCRIBED || @event.Subscribed?.FrameworkId is null)
            {
                response.Dispose();
                throw new MesosCallException(response.StatusCode, @event?.Error?.Message ?? $"Expected SUBSCRIBED, got {@event?.Type}");
            }

            return new SchedulerSession(master, http, response, body, records, streamId, @event);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>The events after SUBSCRIBED, in order, until the master ends the stream.</summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    public async IAsyncEnumerable<Event> EventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _records.ReadAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            if (MesosJson.Deserialize<Event>(record) is { } @event)
            {
                yield return @event;
            }
        }
    }

    /// <summary>Sends a call on this subscription (framework ID and stream id are filled in).</summary>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="MesosCallException">The master answered with an error status.</exception>
    public async Task SendAsync(Call call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        call.FrameworkId ??= FrameworkId;
        using var request = SchedulerRequests.Create(Master, call, StreamId);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new MesosCallException(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Acknowledges a status update that carries a uuid; others need no acknowledgement.</summary>
    /// <param name="status">The update's status.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The call's completion.</returns>
    public Task AcknowledgeAsync(TaskStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Uuid is null
            ? Task.CompletedTask
            : SendAsync(
                new Call { Type = CallType.ACKNOWLEDGE, Acknowledge = new AcknowledgeCall { AgentId = status.AgentId, TaskId = status.TaskId, Uuid = status.Uuid } },
                cancellationToken);
    }

    /// <summary>Ends the subscription (the framework stays registered until its failover timeout).</summary>
    public async ValueTask DisposeAsync()
    {
        await _body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
        _http.Dispose();
    }
}
