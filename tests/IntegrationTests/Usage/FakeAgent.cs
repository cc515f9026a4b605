using System.Net;
using System.Net.Http.Headers;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.IntegrationTests.Usage;

/// <summary>An agent that is only the real protocol: it subscribes, keeps its stream open, and posts
/// whatever usage bodies a test makes up.</summary>
internal sealed class FakeAgent : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _stream;
    private readonly Uri _usage;

    private FakeAgent(HttpClient http, HttpResponseMessage stream, Uri usageAt, AgentSubscribed subscribed, string streamId)
    {
        _http = http;
        _stream = stream;
        _usage = new Uri(usageAt, "/api/v1/agent/usage");
        Id = subscribed.AgentId!;
        UsageUrl = new Uri(subscribed.UsageUrl!);
        StreamId = streamId;
    }

    public AgentId Id { get; }

    /// <summary>The master's usage receiver, as its SUBSCRIBED named it.</summary>
    public Uri UsageUrl { get; }

    public string StreamId { get; }

    /// <summary>Subscribes at <paramref name="master"/>; usage goes to the main port of <paramref name="usageAt"/>
    /// (another silo, say), or of the master.</summary>
    public static async Task<FakeAgent> SubscribeAsync(Uri master, Uri? usageAt = null)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromSeconds(60) };
        var call = new AgentCall
        {
            Type = AgentCallType.SUBSCRIBE,
            Subscribe = new AgentSubscribe
            {
                AgentInfo = new AgentInfo { Hostname = "liar", Port = 5051, Resources = ResourceBag.Parse("cpus:1;mem:1024").ToWire(ResourceFormat.Endpoint) },
                AgentUrl = new Url { Scheme = "http", Address = new Address { Hostname = "liar", Ip = "127.0.0.1", Port = 5051 }, Path = "/slave(1)" },
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(master, "/api/v1/agent")) { Content = Json(MesosJson.SerializeToUtf8(call)) };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new RecordIoReader(await response.Content.ReadAsStreamAsync());
        var subscribed = MesosJson.Deserialize<AgentEvent>((await reader.ReadAsync())!)!;
        return new FakeAgent(http, response, usageAt ?? master, subscribed.Subscribed!, response.Headers.GetValues("Mesos-Stream-Id").Single());
    }

    /// <summary>Posts a USAGE body; the answer's status.</summary>
    public async Task<HttpStatusCode> PostUsageAsync(byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _usage) { Content = Json(body) };
        request.Headers.Add("Mesos-Stream-Id", StreamId);
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Opens a usage stream as the agent does: a POST whose body goes on while <paramref name="content"/> is
    /// written to — to the master's usage receiver (what agents do) or to its main port.</summary>
    public Task<HttpResponseMessage> OpenUsageStreamAsync(RecordIoStreamContent content, bool toReceiver)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, toReceiver ? UsageUrl : _usage) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("Mesos-Stream-Id", StreamId);
        return _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>A USAGE call claiming <paramref name="tasks"/> tasks this agent never ran.</summary>
    public byte[] Report(int tasks) => MesosJson.SerializeToUtf8(new AgentCall
    {
        Type = AgentCallType.USAGE,
        AgentId = Id,
        Usage = new AgentUsage
        {
            Timestamp = 1,
            Tasks = [.. Enumerable.Range(0, tasks).Select(i => new TaskUsage
            {
                FrameworkId = new FrameworkId("made-up"),
                TaskId = new TaskId($"task-{i}"),
                CpusUsed = 8,
                Statistics = new ResourceStatistics { Timestamp = 1, MemRssBytes = 1UL << 40, CpusUserTimeSecs = i },
            })],
        },
    });

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
