using System.Net;
using System.Net.Http.Headers;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;

namespace Mesos.Orleans.AgentHost.Connection;

/// <summary>HTTP to the master's agent endpoint: the SUBSCRIBE stream and the calls sent beside it.</summary>
public sealed class MasterClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    public MasterClient(Uri master)
    {
        _endpoint = new Uri(master, "/api/v1/agent");
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The stream id of the current subscription, sent with every call.</summary>
    public string? StreamId { get; set; }

    public async Task<HttpResponseMessage> SubscribeAsync(AgentCall call, CancellationToken cancellationToken)
    {
        using var request = NewRequest(call, streamId: null);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Sends a USAGE call to /api/v1/agent/usage, where the master bounds its size; true when accepted.</summary>
    public async Task<bool> SendUsageAsync(AgentCall call, CancellationToken cancellationToken)
    {
        using var request = NewRequest(call, StreamId);
        request.RequestUri = new Uri(_endpoint + "/usage");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.Accepted;
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage NewRequest(AgentCall call, string? streamId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
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
