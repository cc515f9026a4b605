using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Benchmarks.Usage;

/// <summary>In-process agents on the real agent protocol: each subscribes with its running tasks (which the
/// master adopts, as after a master restart), keeps its event stream open, and sends one USAGE report per
/// interval to the usage_url its SUBSCRIBED named (or to /api/v1/agent/usage on the main port), the agents' reports spread evenly over the interval as independent
/// agents' timers would be. Reports are serialized once up front so the simulation spends its CPU on
/// sending, not on building them.</summary>
internal sealed class ReportingAgents : IAsyncDisposable
{
    private const string FrameworkId = "usage-bench-framework";
    private readonly Uri _subscribe;
    private readonly Uri _usage;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _streams = [];
    private readonly int _tasksPerAgent;
    private readonly string?[] _streamIds;
    private readonly Uri?[] _usageUrls;
    private readonly bool _mainPort;
    private readonly AgentId?[] _agentIds;
    private readonly TaskCompletionSource[] _subscribed;
    private readonly RecordIoStreamContent?[] _streamsOut;
    private readonly List<Task<HttpResponseMessage>> _usageStreams = [];
    private byte[][] _reports = [];
    private long _accepted;
    private long _dropped;
    private long _failed;

    public ReportingAgents(Uri master, int count, int tasksPerAgent, bool stream, bool mainPort)
    {
        _streamsOut = new RecordIoStreamContent?[stream ? count : 0];
        _subscribe = new Uri(master, "/api/v1/agent");
        _usage = new Uri(master, "/api/v1/agent/usage");
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        Count = count;
        _tasksPerAgent = tasksPerAgent;
        _streamIds = new string?[count];
        _usageUrls = new Uri?[count];
        _mainPort = mainPort;
        _agentIds = new AgentId?[count];
        _subscribed = [.. Enumerable.Range(0, count).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
    }

    public int Count { get; }

    /// <summary>Reports the master answered 202 (POST), or reports written to the streams.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Mean size of one report body.</summary>
    public double MeanReportBytes => _reports.Length == 0 ? 0 : _reports.Average(r => (double)r.Length);

    public async Task StartAsync(int parallelism, TimeSpan timeout)
    {
        await AgentFleet.StartAsync(_subscribed, RunAgentAsync, _streams, parallelism, timeout, _stop.Token).ConfigureAwait(false);
        _reports = [.. Enumerable.Range(0, Count).Select(BuildReport)];
        for (var i = 0; i < _streamsOut.Length; i++)
        {
            // As the agent does: one long-lived POST per agent whose body is the RecordIO stream of its reports.
            var content = _streamsOut[i] = new RecordIoStreamContent();
            var request = new HttpRequestMessage(HttpMethod.Post, _mainPort ? _usage : _usageUrls[i] ?? _usage) { Content = content };
            request.Headers.TransferEncodingChunked = true;
            request.Headers.Add("Mesos-Stream-Id", _streamIds[i]);
            _usageStreams.Add(_http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token));
        }
    }

    /// <summary>Usage streams the master ended before the benchmark did (it ends one only on a refused report).</summary>
    public int EndedStreams => _usageStreams.Count(s => s.IsCompleted);

    /// <summary>Sends every agent's report once per <paramref name="interval"/>, evenly spread, through
    /// <paramref name="senders"/> concurrent requests, until cancelled.</summary>
    public async Task ReportAsync(TimeSpan interval, int senders, CancellationToken cancellationToken)
    {
        var due = Channel.CreateBounded<int>(new BoundedChannelOptions(Count) { FullMode = BoundedChannelFullMode.DropWrite });
        var workers = Enumerable.Range(0, senders).Select(_ => Task.Run(() => SendAsync(due.Reader, cancellationToken), CancellationToken.None)).ToList();
        var clock = Stopwatch.StartNew();
        long scheduled = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var target = (long)(clock.Elapsed / interval * Count);
                for (; scheduled < target; scheduled++)
                {
                    if (_streamsOut.Length > 0)
                    {
                        _streamsOut[scheduled % Count]!.Send(_reports[scheduled % Count]);
                        Interlocked.Increment(ref _accepted);
                    }
                    else if (!due.Writer.TryWrite((int)(scheduled % Count)))
                    {
                        Interlocked.Increment(ref _failed);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        due.Writer.TryComplete();
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task SendAsync(ChannelReader<int> due, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var index in due.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _usage) { Content = Json(_reports[index]) };
                request.Headers.Add("Mesos-Stream-Id", _streamIds[index]);
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                _ = response.StatusCode switch
                {
                    HttpStatusCode.Accepted => Interlocked.Increment(ref _accepted),
                    HttpStatusCode.ServiceUnavailable => Interlocked.Increment(ref _dropped),
                    _ => Interlocked.Increment(ref _failed),
                };
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static TaskId TaskIdOf(int agent, int task) => new($"a{agent}-t{task}");

    private async Task RunAgentAsync(int index)
    {
        var hostname = $"usage-agent-{index}";
        var call = new AgentCall
        {
            Type = AgentCallType.SUBSCRIBE,
            Subscribe = new AgentSubscribe
            {
                AgentInfo = new AgentInfo { Hostname = hostname, Port = 5051, Resources = ResourceBag.Parse("cpus:8;mem:32768").ToWire(ResourceFormat.Endpoint) },
                AgentUrl = new Url { Scheme = "http", Address = new Address { Hostname = hostname, Ip = "127.0.0.1", Port = 5051 }, Path = "/slave(1)" },
                BootId = $"boot-{index}",
                Tasks = [.. Enumerable.Range(0, _tasksPerAgent).Select(t => new AgentTask
                {
                    FrameworkId = new FrameworkId(FrameworkId),
                    State = TaskState.TASK_RUNNING,
                    Task = new TaskInfo { Name = "bench", TaskId = TaskIdOf(index, t), AgentId = new AgentId(hostname), Resources = ResourceBag.Parse("cpus:1;mem:2048").ToWire(ResourceFormat.Endpoint) },
                })],
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, _subscribe) { Content = Json(MesosJson.SerializeToUtf8(call)) };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"agent {index}: SUBSCRIBE answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(_stop.Token).ConfigureAwait(false)}");
        }

        _streamIds[index] = response.Headers.GetValues("Mesos-Stream-Id").First();
        await using var body = await response.Content.ReadAsStreamAsync(_stop.Token).ConfigureAwait(false);
        var reader = new RecordIoReader(body);
        while (await reader.ReadAsync(_stop.Token).ConfigureAwait(false) is { } record)
        {
            if (MesosJson.Deserialize<AgentEvent>(record) is { Type: AgentEventType.SUBSCRIBED } subscribed)
            {
                _agentIds[index] = subscribed.Subscribed!.AgentId;
                _usageUrls[index] = subscribed.Subscribed.UsageUrl is { } url ? new Uri(url) : null;
                _subscribed[index].TrySetResult();
            }
        }
    }

    /// <summary>What a real agent sends for its tasks (its sample of every field, cut down by the agent's own
    /// <see cref="AgentHost.Usage.ReportedStatistics"/>), with plausible values.</summary>
    private byte[] BuildReport(int index)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        return MesosJson.SerializeToUtf8(new AgentCall
        {
            Type = AgentCallType.USAGE,
            AgentId = _agentIds[index],
            Usage = new AgentUsage
            {
                Timestamp = now,
                Host = new HostUsage { CpusTotal = 8, CpusUsed = 3.2, MemTotalBytes = 32UL << 30, MemUsedBytes = 12UL << 30 },
                Tasks = [.. Enumerable.Range(0, _tasksPerAgent).Select(t => new TaskUsage
                {
                    FrameworkId = new FrameworkId(FrameworkId),
                    TaskId = TaskIdOf(index, t),
                    CpusUsed = 0.42,
                    Statistics = AgentHost.Usage.ReportedStatistics.Of(new ResourceStatistics
                    {
                        Timestamp = now,
                        Processes = 3,
                        Threads = 12,
                        CpusUserTimeSecs = 1234.56,
                        CpusSystemTimeSecs = 78.9,
                        CpusLimit = 1,
                        CpusNrPeriods = 123456,
                        CpusNrThrottled = 789,
                        CpusThrottledTimeSecs = 12.345,
                        MemTotalBytes = 1_234_567_890,
                        MemLimitBytes = 2UL << 30,
                        MemRssBytes = 1_000_000_000,
                        MemCacheBytes = 234_567_890,
                        MemFileBytes = 234_567_890,
                        MemAnonBytes = 1_000_000_000,
                        MemMappedFileBytes = 12_345_678,
                        MemSwapBytes = 0,
                        MemMaxBytes = 1_500_000_000,
                        DiskUsedBytes = 123_456_789,
                        DiskLimitBytes = 1UL << 30,
                    }),
                })],
            },
        });
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var content in _streamsOut)
        {
            content?.Complete();
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_streams).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or HttpRequestException or IOException)
        {
        }

        _http.Dispose();
        _stop.Dispose();
    }
}
