using System.Net;
using System.Net.Http.Headers;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Http;
using Mesos.Orleans.Interfaces.Json;

namespace Mesos.Orleans.AgentHost.Connection;

/// <summary>HTTP to the master's agent endpoint: the SUBSCRIBE stream and the calls sent beside it.</summary>
public sealed class MasterClient : IDisposable
{
    /// <summary>How long a SUBSCRIBE waits for the master's answer: a master that hangs (stopped, or stalled) still
    /// has its connections accepted by the kernel, and would otherwise hold the agent forever. As long as three of
    /// the master's heartbeat intervals, the silence after which a subscribed stream is given up.</summary>
    public static readonly TimeSpan DefaultSubscribeTimeout = TimeSpan.FromSeconds(15);

    private readonly HttpClient _http;
    private readonly MasterList _masters;
    private readonly TimeSpan _subscribeTimeout;

    public MasterClient(IReadOnlyList<Uri> masters, TimeSpan? subscribeTimeout = null)
    {
        _masters = new MasterList(masters);
        _subscribeTimeout = subscribeTimeout ?? DefaultSubscribeTimeout;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),

            // A standby's 307 is followed by the connection itself, which then stays with the leader.
            AllowAutoRedirect = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The master currently talked to.</summary>
    public Uri Current => _masters.Current;

    /// <summary>How many masters the agent was given.</summary>
    public int Count => _masters.Count;

    /// <summary>Follows a standby's redirect (Mesos's protocol-relative <c>//host:port/path</c>); false when
    /// <paramref name="location"/> names no leader.</summary>
    public bool FollowRedirect(Uri? location) => _masters.FollowRedirect(location);

    /// <summary>Moves on to the configured master after the current one (after a failure or a 503 with no leader known).</summary>
    public void TryNextMaster() => _masters.MoveOn();

    private Uri Endpoint => new(_masters.Current, "/api/v1/agent");

    /// <summary>The stream id of the current subscription, sent with every call.</summary>
    public string? StreamId { get; set; }

    public async Task<HttpResponseMessage> SubscribeAsync(AgentCall call, CancellationToken cancellationToken)
    {
        using var request = NewRequest(call, streamId: null);
        using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        answer.CancelAfter(_subscribeTimeout);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, answer.Token).ConfigureAwait(false);
    }

    /// <summary>Sends a call; true when the master accepted it.</summary>
    public async Task<bool> SendAsync(AgentCall call, CancellationToken cancellationToken)
    {
        using var request = NewRequest(call, StreamId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.Accepted;
    }

    /// <summary>Where the leader wants usage streams (its own usage receiver, from SUBSCRIBED); null: its main port.</summary>
    public Uri? UsageUrl { get; set; }

    /// <summary>Opens the usage stream: a POST to the leader's usage receiver (or to /api/v1/agent/usage on
    /// its main port) whose body (<paramref name="content"/>) goes on for as long as the agent writes to it.
    /// Completes when the master answers, which it does only when it ends the stream.</summary>
    public Task<HttpResponseMessage> OpenUsageStreamAsync(HttpContent content, string streamId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, UsageUrl ?? new Uri(_masters.Current, "/api/v1/agent/usage")) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("Mesos-Stream-Id", streamId);
        return _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage NewRequest(AgentCall call, string? streamId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new ByteArrayContent(MesosJson.SerializeToUtf8(call)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (streamId is not null)
        {
            request.Headers.Add("Mesos-Stream-Id", streamId);
        }

        return request;
    }
}
