using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Mesos.Orleans.Testing.Waiting;

namespace Mesos.Orleans.IntegrationTests.BadInput;

/// <summary>One real master and agent per test class, with one framework subscribed for the whole class.
/// A pump reads the framework's stream into a timestamped log, so tests can look for events (and for
/// heartbeats) without consuming each other's, and tracks the outstanding offers.</summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<(DateTimeOffset At, Event Event)> _events = [];
    private readonly Dictionary<OfferId, Offer> _offers = [];
    private Task? _pump;
    private volatile bool _stopping;
    private MesosCluster? _cluster;
    private TestScheduler? _scheduler;

    public MesosCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started");

    public TestScheduler Scheduler => _scheduler ?? throw new InvalidOperationException("The framework has not subscribed");

    public Uri Master => Cluster.Master;

    public string FrameworkId => Scheduler.FrameworkId!.Value;

    public string StreamId => Scheduler.StreamId;

    public string AgentId { get; private set; } = string.Empty;

    /// <summary>Plain HTTP, no retries, no automatic redirects (so a 307 stays a 307).</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public int EventCount
    {
        get
        {
            lock (_events)
            {
                return _events.Count;
            }
        }
    }

    public async Task InitializeAsync()
    {
        _cluster = await MesosCluster.StartAsync(output: null);
        _scheduler = await TestScheduler.SubscribeAsync(Master, new FrameworkInfo { User = "root", Name = "bad-input", FailoverTimeout = 3600 });
        _pump = Task.Run(PumpAsync);
        var state = await Cluster.MasterStateAsync();
        AgentId = state["slaves"]![0]!["id"]!.GetValue<string>();
        await WaitForOfferAsync();
    }

    public async Task DisposeAsync()
    {
        _stopping = true;
        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync();
        }

        if (_pump is not null)
        {
            try
            {
                await _pump;
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or TimeoutException)
            {
                // The stream ended with the framework.
            }
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        Http.Dispose();
    }

    /// <summary>Sends one request exactly as given; <paramref name="contentType"/> is written verbatim
    /// (null: no Content-Type header at all).</summary>
    public async Task<Answer> SendAsync(
        string path,
        string? body,
        string? contentType = "application/json",
        HttpMethod? method = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, new Uri(Master, path));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        }

        return await SendAsync(request, contentType, headers);
    }

    public async Task<Answer> SendAsync(
        HttpRequestMessage request, string? contentType = "application/json", IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        if (request.Content is not null)
        {
            request.Content.Headers.Remove("Content-Type");
            if (contentType is not null)
            {
                Assert.True(request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType));
            }
        }

        foreach (var (name, value) in headers ?? [])
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value));
        }

        using var response = await Http.SendAsync(request);
        return await Answer.ReadAsync(response);
    }

    /// <summary>A scheduler call for the class's framework, with its stream id.</summary>
    public Task<Answer> SchedulerCallAsync(string json, string? streamId = null) =>
        SendAsync("/api/v1/scheduler", json, headers: [new("Mesos-Stream-Id", streamId ?? StreamId)]);

    public Task<Answer> OperatorCallAsync(string json) => SendAsync("/api/v1", json);

    /// <summary>$FID, $AGENT and $SID in a template become the framework's id, the agent's id and the stream id.</summary>
    public string Fill(string template) =>
        template.Replace("$FID", FrameworkId, StringComparison.Ordinal)
            .Replace("$AGENT", AgentId, StringComparison.Ordinal)
            .Replace("$SID", StreamId, StringComparison.Ordinal);

    /// <summary>The first event at or after <paramref name="from"/> (an <see cref="EventCount"/> taken earlier) that matches.</summary>
    public async Task<Event> WaitForEventAsync(int from, Func<Event, bool> match, string description, TimeSpan? timeout = null)
    {
        return await Eventually.ValueAsync(
            _ =>
            {
                lock (_events)
                {
                    return Task.FromResult(_events.Skip(from).Select(e => e.Event).FirstOrDefault(match));
                }
            },
            description,
            timeout ?? Patience);
    }

    public Task<TaskStatus> WaitForUpdateAsync(int from, string taskId) =>
        WaitForEventAsync(from, e => e.Type == EventType.UPDATE && e.Update?.Status?.TaskId?.Value == taskId, $"an UPDATE for task {taskId}")
            .ContinueWith(t => t.Result.Update!.Status!, TaskScheduler.Default);

    /// <summary>An outstanding offer to the class's framework (waits for one); it stays outstanding until used.</summary>
    public Task<Offer> WaitForOfferAsync() => Eventually.ValueAsync(
        _ =>
        {
            lock (_events)
            {
                return Task.FromResult(_offers.Values.FirstOrDefault());
            }
        },
        "an outstanding offer to the bad-input framework",
        Patience);

    /// <summary>The offer is about to be used (accepted or declined): stop tracking it.</summary>
    public void Forget(OfferId id)
    {
        lock (_events)
        {
            _offers.Remove(id);
        }
    }

    /// <summary>The master still serves and has lost nothing: its process runs, /health answers 200, the
    /// class's framework is still subscribed (active, connected) and its stream still delivers (a reconcile
    /// answer now, and heartbeats on time), and the agent is still registered and active.</summary>
    public async Task AssertMasterStillServesAsync()
    {
        Assert.False(Cluster.Masters[0].HasExited, "the master process exited");
        Assert.False(Cluster.Agents[0].HasExited, "the agent process exited");

        using (var health = await Http.GetAsync(new Uri(Master, "/health")))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        var frameworks = await OperatorJsonAsync("""{"type":"GET_FRAMEWORKS"}""");
        var ours = frameworks["get_frameworks"]?["frameworks"]?.AsArray()
            .SingleOrDefault(f => f?["framework_info"]?["id"]?["value"]?.GetValue<string>() == FrameworkId);
        Assert.True(ours is not null, $"framework {FrameworkId} is no longer known: {frameworks.ToJsonString()}");
        Assert.True(ours["active"]?.GetValue<bool>() == true && ours["connected"]?.GetValue<bool>() == true, $"framework {FrameworkId} is not subscribed any more: {ours.ToJsonString()}");

        var agents = await OperatorJsonAsync("""{"type":"GET_AGENTS"}""");
        var agent = agents["get_agents"]?["agents"]?.AsArray()
            .SingleOrDefault(a => a?["agent_info"]?["id"]?["value"]?.GetValue<string>() == AgentId);
        Assert.True(agent is not null, $"agent {AgentId} is no longer registered: {agents.ToJsonString()}");
        Assert.True(agent["active"]?.GetValue<bool>() == true, $"agent {AgentId} is not active: {agent.ToJsonString()}");

        // The stream delivers: an explicit reconcile of an unknown task is answered on it at once.
        var probe = $"probe-{Guid.NewGuid():N}";
        var from = EventCount;
        var reconcile = await SchedulerCallAsync(Fill($$$"""{"framework_id":{"value":"$FID"},"type":"RECONCILE","reconcile":{"tasks":[{"task_id":{"value":"{{{probe}}}"}}]}}"""));
        Assert.Equal(HttpStatusCode.Accepted, reconcile.Status);
        await WaitForUpdateAsync(from, probe);

        // ... and heartbeats keep coming (the interval is 5 s).
        await Eventually.TrueAsync(
            () =>
            {
                lock (_events)
                {
                    return _events.Any(e => e.Event.Type == EventType.HEARTBEAT && DateTimeOffset.UtcNow - e.At < TimeSpan.FromSeconds(12));
                }
            },
            "a HEARTBEAT on the framework's stream within the last two intervals",
            Patience);
    }

    /// <summary>The stream still brings offers: decline the outstanding ones (no filter) and wait for a new one.</summary>
    public async Task AssertOffersStillFlowAsync()
    {
        List<OfferId> held;
        lock (_events)
        {
            held = [.. _offers.Keys];
            _offers.Clear();
        }

        var from = EventCount;
        if (held.Count > 0)
        {
            var decline = await Scheduler.CallAsync(new Call
            {
                Type = CallType.DECLINE,
                Decline = new DeclineCall { OfferIds = held, Filters = new Filters { RefuseSeconds = 0 } },
            });
            Assert.Equal(HttpStatusCode.Accepted, decline.StatusCode);
        }

        await WaitForEventAsync(from, e => e.Type == EventType.OFFERS, "a new OFFERS event");
    }

    public async Task<JsonObject> OperatorJsonAsync(string json)
    {
        var answer = await OperatorCallAsync(json);
        Assert.True(answer.Status == HttpStatusCode.OK, $"{json} answered {(int)answer.Status}: {answer.Body}");
        return JsonNode.Parse(answer.Body)!.AsObject();
    }

    private async Task PumpAsync()
    {
        while (!_stopping)
        {
            var next = await Scheduler.NextAsync(_ => true, TimeSpan.FromHours(1), "any");
            lock (_events)
            {
                _events.Add((DateTimeOffset.UtcNow, next));
                foreach (var offer in next.Offers?.Offers ?? [])
                {
                    _offers[offer.Id!] = offer;
                }

                if (next.Rescind?.OfferId is { } rescinded)
                {
                    _offers.Remove(rescinded);
                }
            }

            // A well-behaved scheduler: reliable updates (with a uuid) are acknowledged, so the agent sends the next one.
            if (next.Update?.Status is { Uuid: not null } status)
            {
                await Scheduler.AcknowledgeAsync(status);
            }
        }
    }
}

/// <summary>What the master answered, read completely.</summary>
public sealed record Answer(HttpStatusCode Status, string Body, string? ContentType, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)
{
    public static async Task<Answer> ReadAsync(HttpResponseMessage response) => new(
        response.StatusCode,
        await response.Content.ReadAsStringAsync(),
        response.Content.Headers.ContentType?.MediaType,
        response.Headers,
        response.Content.Headers);

    public override string ToString() => $"{(int)Status} {ContentType} \"{(Body.Length > 300 ? Body[..300] + "..." : Body)}\"";
}

/// <summary>Assertions on error answers: the status Mesos gives and a non-empty plain-text reason.</summary>
public static class Expect
{
    public static void Error(Answer answer, HttpStatusCode status, string? because = null)
    {
        Assert.True(answer.Status == status, $"expected {(int)status} but the master answered {answer}{(because is null ? string.Empty : " — " + because)}");
        Assert.True(answer.Body.Trim().Length > 0, $"the {(int)status} answer has an empty body; Mesos always gives a plain-text reason");
        Assert.True(answer.ContentType == "text/plain", $"the {(int)status} answer's reason is not plain text: {answer}");
    }

    public static void Status(Answer answer, HttpStatusCode status, string? because = null) =>
        Assert.True(answer.Status == status, $"expected {(int)status} but the master answered {answer}{(because is null ? string.Empty : " — " + because)}");

    public static void Allows(Answer answer, string method)
    {
        var allow = answer.ContentHeaders.Allow;
        Assert.True(allow.Contains(method), $"the 405 answer's Allow header is '{string.Join(", ", allow)}', expected it to name {method}");
    }
}
