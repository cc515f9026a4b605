using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Benchmarks.Master;

/// <summary>In-process agents that speak the real agent protocol over loopback (docs/agent-protocol.md):
/// one SUBSCRIBE stream each; every RUN_TASK is answered at once with an UPDATE TASK_RUNNING from a shared
/// pool of senders. No processes, no sandboxes, no per-task state.</summary>
internal sealed class SimulatedAgents : IAsyncDisposable
{
    private const string AgentResources = "cpus:64;mem:262144;ports:[31000-32000]";
    private readonly Uri _endpoint;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<AgentCall> _updates = Channel.CreateUnbounded<AgentCall>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly List<Task> _tasks = [];
    private readonly string?[] _streamIds;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _streamIdByAgent = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource[] _subscribed;
    private readonly int _firstIndex;
    private long _runTasks;
    private long _acknowledged;
    private long _updateFailures;

    /// <param name="master">A master's (silo's) base URL.</param>
    /// <param name="count">How many agents.</param>
    /// <param name="senders">Concurrent senders of the agents' status updates.</param>
    /// <param name="firstIndex">The number of the first agent (its hostname sim-agent-N): fleets on several
    /// silos of one cluster take disjoint ranges.</param>
    public SimulatedAgents(Uri master, int count, int senders, int firstIndex = 0)
    {
        _firstIndex = firstIndex;
        _endpoint = new Uri(master, "/api/v1/agent");
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        Count = count;
        _streamIds = new string?[count];
        _subscribed = new TaskCompletionSource[count];
        for (var i = 0; i < count; i++)
        {
            _subscribed[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        for (var i = 0; i < senders; i++)
        {
            _tasks.Add(Task.Run(SendUpdatesAsync));
        }
    }

    public int Count { get; }

    public long RunTasks => Interlocked.Read(ref _runTasks);

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public long UpdateFailures => Interlocked.Read(ref _updateFailures);

    /// <summary>Subscribes every agent (<paramref name="parallelism"/> at a time) and waits for all SUBSCRIBED.</summary>
    public async Task StartAsync(int parallelism, TimeSpan timeout)
    {
        await AgentFleet.StartAsync(_subscribed, RunAgentAsync, _tasks, parallelism, timeout, _stop.Token).ConfigureAwait(false);
    }

    private async Task RunAgentAsync(int index)
    {
        var hostname = $"sim-agent-{_firstIndex + index}";
        var call = new AgentCall
        {
            Type = AgentCallType.SUBSCRIBE,
            Subscribe = new AgentSubscribe
            {
                AgentInfo = new AgentInfo { Hostname = hostname, Port = 5051, Resources = ResourceBag.Parse(AgentResources).ToWire(ResourceFormat.Endpoint) },
                AgentUrl = new Url { Scheme = "http", Address = new Address { Hostname = hostname, Ip = "127.0.0.1", Port = 5051 }, Path = "/slave(1)" },
                BootId = $"boot-{_firstIndex + index}",
            },
        };
        using var request = Request(call, streamId: null);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"agent {index}: SUBSCRIBE answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(_stop.Token).ConfigureAwait(false)}");
        }

        var streamId = response.Headers.TryGetValues("Mesos-Stream-Id", out var ids) ? ids.First() : null;
        await using var body = await response.Content.ReadAsStreamAsync(_stop.Token).ConfigureAwait(false);
        var reader = new RecordIoReader(body);
        AgentId? agentId = null;
        while (await reader.ReadAsync(_stop.Token).ConfigureAwait(false) is { } record)
        {
            var @event = MesosJson.Deserialize<AgentEvent>(record);
            switch (@event?.Type)
            {
                case AgentEventType.SUBSCRIBED:
                    agentId = @event.Subscribed!.AgentId;
                    _streamIds[index] = streamId;
                    _streamIdByAgent[agentId!.Value] = streamId ?? string.Empty;
                    _subscribed[index].TrySetResult();
                    break;
                case AgentEventType.RUN_TASK when agentId is not null:
                    Interlocked.Increment(ref _runTasks);
                    var task = @event.RunTask!.Task!;
                    _updates.Writer.TryWrite(new AgentCall
                    {
                        Type = AgentCallType.UPDATE,
                        AgentId = agentId,
                        Update = new AgentUpdate
                        {
                            FrameworkId = @event.RunTask.FrameworkId,
                            Status = new TaskStatus
                            {
                                TaskId = task.TaskId,
                                State = TaskState.TASK_RUNNING,
                                Source = TaskStatusSource.SOURCE_EXECUTOR,
                                AgentId = agentId,
                                Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
                                Uuid = Guid.NewGuid().ToByteArray(),
                            },
                        },
                    });
                    break;
                case AgentEventType.ACKNOWLEDGE:
                    Interlocked.Increment(ref _acknowledged);
                    break;
                default:
                    break;
            }
        }
    }

    private async Task SendUpdatesAsync()
    {
        try
        {
            await foreach (var call in _updates.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                using var request = Request(call, _streamIdByAgent[call.AgentId!.Value]);
                using var response = await _http.SendAsync(request, _stop.Token).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    Interlocked.Increment(ref _updateFailures);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private HttpRequestMessage Request(AgentCall call, string? streamId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(MesosJson.SerializeToUtf8(call)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (streamId is not null)
        {
            request.Headers.Add("Mesos-Stream-Id", streamId);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _updates.Writer.TryComplete();
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
