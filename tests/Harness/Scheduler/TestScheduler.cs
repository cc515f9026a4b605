using System.Net;
using System.Threading.Channels;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Testing.Scheduler;

/// <summary>A scheduler that speaks the v1 HTTP API by hand (JSON over HTTP, RecordIO stream), as a
/// framework in any language would; tests read its events in order and send calls.</summary>
public sealed class TestScheduler : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _subscription;
    private readonly Channel<Event> _events = Channel.CreateUnbounded<Event>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    private TestScheduler(Uri master, HttpClient http, HttpResponseMessage subscription, Stream body)
    {
        Master = master;
        _http = http;
        _subscription = subscription;
        StreamId = subscription.Headers.GetValues("Mesos-Stream-Id").Single();
        _reader = Task.Run(() => ReadAsync(body));
    }

    public Uri Master { get; }

    public string StreamId { get; }

    public FrameworkId? FrameworkId { get; private set; }

    /// <summary>Every event received, heartbeats included, in order.</summary>
    public List<Event> Received { get; } = [];

    public static async Task<TestScheduler> SubscribeAsync(Uri master, FrameworkInfo info)
    {
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var call = new Call { Type = CallType.SUBSCRIBE, FrameworkId = info.Id, Subscribe = new SubscribeCall { FrameworkInfo = info } };
        using var request = SchedulerRequests.Create(master, call, streamId: null);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            response.Dispose();
            http.Dispose();
            throw new InvalidOperationException($"SUBSCRIBE answered {(int)response.StatusCode}: {body}");
        }

        var scheduler = new TestScheduler(master, http, response, await response.Content.ReadAsStreamAsync().ConfigureAwait(false));
        var subscribed = await scheduler.NextAsync(EventType.SUBSCRIBED, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        scheduler.FrameworkId = subscribed.Subscribed!.FrameworkId;
        return scheduler;
    }

    /// <summary>The next event of the given type; events of other types before it are skipped.</summary>
    public Task<Event> NextAsync(EventType type, TimeSpan timeout) => NextAsync(e => e.Type == type, timeout, type.ToString());

    public async Task<Event> NextAsync(Func<Event, bool> match, TimeSpan timeout, string description)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var next = await _events.Reader.ReadAsync(deadline.Token).ConfigureAwait(false);
                if (match(next))
                {
                    return next;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"No {description} event within {timeout}; received: {string.Join(", ", Received.Select(e => e.Type))}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The subscription ended before a {description} event; received: {string.Join(", ", Received.Select(e => e.Type))}");
        }
    }

    /// <summary>The next status update for a task.</summary>
    public async Task<TaskStatus> NextUpdateAsync(string taskId, TimeSpan timeout)
    {
        var update = await NextAsync(e => e.Type == EventType.UPDATE && e.Update?.Status?.TaskId?.Value == taskId, timeout, $"UPDATE for {taskId}").ConfigureAwait(false);
        return update.Update!.Status!;
    }

    /// <summary>Follows a task's updates, acknowledging the reliable ones, until one matches.</summary>
    public async Task<TaskStatus> UntilAsync(string taskId, Func<TaskStatus, bool> match, TimeSpan timeout)
    {
        while (true)
        {
            var status = await NextUpdateAsync(taskId, timeout).ConfigureAwait(false);
            if (status.Uuid is not null)
            {
                await AcknowledgeAsync(status).ConfigureAwait(false);
            }

            if (match(status))
            {
                return status;
            }
        }
    }

    /// <summary>Follows the updates of several tasks at once, acknowledging the reliable ones, until each
    /// task has had an update that matches; returns those updates by task ID.</summary>
    public async Task<Dictionary<string, TaskStatus>> UntilAllAsync(IEnumerable<string> taskIds, Func<TaskStatus, bool> match, TimeSpan timeout)
    {
        var waiting = new HashSet<string>(taskIds, StringComparer.Ordinal);
        var matched = new Dictionary<string, TaskStatus>(StringComparer.Ordinal);
        while (waiting.Count > 0)
        {
            var update = await NextAsync(
                e => e.Type == EventType.UPDATE && e.Update?.Status?.TaskId?.Value is { } id && waiting.Contains(id),
                timeout,
                $"UPDATE for any of {string.Join(", ", waiting)}").ConfigureAwait(false);
            var status = update.Update!.Status!;
            if (status.Uuid is not null)
            {
                await AcknowledgeAsync(status).ConfigureAwait(false);
            }

            if (match(status))
            {
                waiting.Remove(status.TaskId!.Value);
                matched[status.TaskId.Value] = status;
            }
        }

        return matched;
    }

    /// <summary>Follows a task's updates, acknowledging them, to its terminal state.</summary>
    public Task<TaskStatus> TerminalAsync(string taskId, TimeSpan timeout) =>
        UntilAsync(taskId, s => TaskStates.IsTerminal(s.State!.Value), timeout);

    public Task<HttpResponseMessage> CallAsync(Call call) => CallAsync(call, Master);

    /// <summary>A call sent to <paramref name="via"/> (another silo than the one holding the stream), with the
    /// stream's ID.</summary>
    public async Task<HttpResponseMessage> CallAsync(Call call, Uri via)
    {
        call.FrameworkId ??= FrameworkId;
        using var request = SchedulerRequests.Create(via, call, StreamId);
        return await _http.SendAsync(request).ConfigureAwait(false);
    }

    public async Task AcknowledgeAsync(TaskStatus status)
    {
        using var response = await CallAsync(new Call
        {
            Type = CallType.ACKNOWLEDGE,
            Acknowledge = new AcknowledgeCall { AgentId = status.AgentId, TaskId = status.TaskId, Uuid = status.Uuid },
        }).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"ACKNOWLEDGE answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _subscription.Dispose();
        try
        {
            await _reader.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            // The stream was cut on purpose.
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync(Stream body)
    {
        try
        {
            var reader = new RecordIoReader(body);
            while (await reader.ReadAsync(_stop.Token).ConfigureAwait(false) is { } record)
            {
                var @event = MesosJson.Deserialize<Event>(record)!;
                lock (Received)
                {
                    Received.Add(@event);
                }

                await _events.Writer.WriteAsync(@event).ConfigureAwait(false);
            }
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
