using System.Net;
using System.Net.Http.Headers;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Http;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Benchmarks.Takeover;

/// <summary>In-process agents on the real agent protocol that follow the leader as mesos-agent does: each
/// keeps one SUBSCRIBE stream; when it ends they try the masters in turn, follow a standby's 307, back off
/// briefly on 503, and reregister with the ID they were given. Counts reregistrations since <see cref="MarkFailover"/>.</summary>
internal sealed class FollowingAgents : IAsyncDisposable
{
    private const string AgentResources = "cpus:32;mem:131072;ports:[31000-32000]";
    private static readonly List<Resource> WireResources = ResourceBag.Parse(AgentResources).ToWire(ResourceFormat.Endpoint);
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly IReadOnlyList<Uri> _masters;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly int[] _epochs;
    private readonly long[] _resubscribedAt;
    private readonly TaskCompletionSource[] _subscribed;
    private volatile Uri _leader;
    private int _epoch;
    private int _resubscribed;

    public FollowingAgents(IReadOnlyList<Uri> masters, int count)
    {
        _masters = masters;
        _leader = masters[0];
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        _epochs = new int[count];
        _resubscribedAt = new long[count];
        _subscribed = [.. Enumerable.Range(0, count).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
    }

    public int Count => _epochs.Length;

    /// <summary>When each agent subscribed again since <see cref="MarkFailover"/> (Stopwatch timestamps).</summary>
    public IReadOnlyList<long> ResubscribedAt => _resubscribedAt;

    /// <summary>Agents that have subscribed again since the last <see cref="MarkFailover"/>.</summary>
    public int Resubscribed => Volatile.Read(ref _resubscribed);

    public async Task StartAsync(int parallelism, TimeSpan timeout)
    {
        await AgentFleet.StartAsync(_subscribed, RunAgentAsync, _tasks, parallelism, timeout, _stop.Token).ConfigureAwait(false);
    }

    public void MarkFailover()
    {
        Volatile.Write(ref _resubscribed, 0);
        Interlocked.Increment(ref _epoch);
    }

    /// <summary>One agent's life: it costs the benchmark's process as little as it can (its SUBSCRIBE body made
    /// once per ID, refusals handled without exceptions, only SUBSCRIBED events parsed), since ten thousand of
    /// them share two cores with the masters and their cost would otherwise be counted as the masters'.</summary>
    private async Task RunAgentAsync(int index)
    {
        AgentId? id = null;
        byte[]? body = null;
        var next = index % _masters.Count;

        // mesos-agent's reconnect schedule (src/AgentHost/Connection/MasterConnection): 200 ms doubling to 10 s
        // (to 1 s while a live master says no leader is elected yet), each wait drawn between 0.5 and 1.5 times.
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!_stop.IsCancellationRequested)
        {
            var target = _leader;
            var answer = HttpStatusCode.OK;
            try
            {
                body ??= SubscribeBody(index, id);
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(target, "/api/v1/agent")) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = Json;
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token).ConfigureAwait(false);
                answer = response.StatusCode;
                if (answer == HttpStatusCode.TemporaryRedirect && LeaderLocation.BaseOf(target, response.Headers.Location) is { } leader)
                {
                    _leader = leader;
                    continue;
                }

                if (answer == HttpStatusCode.OK)
                {
                    await using var stream = await response.Content.ReadAsStreamAsync(_stop.Token).ConfigureAwait(false);
                    var reader = new RecordIoReader(stream);
                    while (await reader.ReadAsync(_stop.Token).ConfigureAwait(false) is { } record)
                    {
                        if (record.AsSpan().IndexOf("\"SUBSCRIBED\""u8) >= 0
                            && MesosJson.Deserialize<AgentEvent>(record) is { Type: AgentEventType.SUBSCRIBED } subscribed)
                        {
                            if (id is null)
                            {
                                id = subscribed.Subscribed!.AgentId;
                                body = null;
                            }

                            backoff = TimeSpan.FromMilliseconds(200);
                            var epoch = Volatile.Read(ref _epoch);
                            if (_epochs[index] != epoch)
                            {
                                _epochs[index] = epoch;
                                _resubscribedAt[index] = System.Diagnostics.Stopwatch.GetTimestamp();
                                Interlocked.Increment(ref _resubscribed);
                            }

                            _subscribed[index].TrySetResult();
                        }
                    }

                    continue;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Text.Json.JsonException or OperationCanceledException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                answer = HttpStatusCode.BadGateway;
            }

            // The master went away or knows no leader: try the next one after a short pause.
            next = (next + 1) % _masters.Count;
            if (_leader == target)
            {
                _leader = _masters[next];
            }

            await Task.Delay(backoff * (0.5 + Random.Shared.NextDouble()), CancellationToken.None).ConfigureAwait(false);
            var cap = TimeSpan.FromSeconds(answer == HttpStatusCode.ServiceUnavailable ? 1 : 10);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, cap.Ticks));
        }
    }

    private static byte[] SubscribeBody(int index, AgentId? id) => MesosJson.SerializeToUtf8(new AgentCall
    {
        Type = AgentCallType.SUBSCRIBE,
        AgentId = id,
        Subscribe = new AgentSubscribe
        {
            AgentInfo = new AgentInfo { Id = id, Hostname = $"sim-agent-{index}", Port = 5051, Resources = WireResources },
            AgentUrl = new Url { Scheme = "http", Address = new Address { Hostname = $"sim-agent-{index}", Ip = "127.0.0.1", Port = 5051 }, Path = "/slave(1)" },
            BootId = $"boot-{index}",
        },
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or HttpRequestException or IOException)
        {
        }

        _http.Dispose();
        _stop.Dispose();
    }
}
