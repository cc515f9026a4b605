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
    private readonly IReadOnlyList<Uri> _masters;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly int[] _epochs;
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
        _subscribed = [.. Enumerable.Range(0, count).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
    }

    public int Count => _epochs.Length;

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

    private async Task RunAgentAsync(int index)
    {
        AgentId? id = null;
        var next = index % _masters.Count;

        // mesos-agent's reconnect schedule (src/AgentHost/Connection/MasterConnection): 200 ms doubling to 10 s,
        // here with jitter so that ten thousand agents do not retry in lockstep.
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!_stop.IsCancellationRequested)
        {
            var target = _leader;
            try
            {
                var call = new AgentCall
                {
                    Type = AgentCallType.SUBSCRIBE,
                    AgentId = id,
                    Subscribe = new AgentSubscribe
                    {
                        AgentInfo = new AgentInfo { Id = id, Hostname = $"sim-agent-{index}", Port = 5051, Resources = ResourceBag.Parse(AgentResources).ToWire(ResourceFormat.Endpoint) },
                        AgentUrl = new Url { Scheme = "http", Address = new Address { Hostname = $"sim-agent-{index}", Ip = "127.0.0.1", Port = 5051 }, Path = "/slave(1)" },
                        BootId = $"boot-{index}",
                    },
                };
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(target, "/api/v1/agent")) { Content = new ByteArrayContent(MesosJson.SerializeToUtf8(call)) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.TemporaryRedirect && LeaderLocation.BaseOf(target, response.Headers.Location) is { } leader)
                {
                    _leader = leader;
                    continue;
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new HttpRequestException($"SUBSCRIBE answered {(int)response.StatusCode}");
                }

                await using var body = await response.Content.ReadAsStreamAsync(_stop.Token).ConfigureAwait(false);
                var reader = new RecordIoReader(body);
                while (await reader.ReadAsync(_stop.Token).ConfigureAwait(false) is { } record)
                {
                    if (MesosJson.Deserialize<AgentEvent>(record) is { Type: AgentEventType.SUBSCRIBED } subscribed)
                    {
                        id = subscribed.Subscribed!.AgentId;
                        backoff = TimeSpan.FromMilliseconds(200);
                        var epoch = Volatile.Read(ref _epoch);
                        if (_epochs[index] != epoch)
                        {
                            _epochs[index] = epoch;
                            Interlocked.Increment(ref _resubscribed);
                        }

                        _subscribed[index].TrySetResult();
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Text.Json.JsonException or OperationCanceledException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                // The master went away or knows no leader: try the next one after a short pause.
                next = (next + 1) % _masters.Count;
                if (_leader == target)
                {
                    _leader = _masters[next];
                }

                await Task.Delay(backoff * (0.5 + Random.Shared.NextDouble()), CancellationToken.None).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

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
