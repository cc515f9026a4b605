using System.Net.Http.Headers;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Scheduler;

namespace Mesos.Orleans.Client;

/// <summary>A scheduler call as an HTTP request: JSON body, and the subscription's stream id when there is one.
/// For code that speaks the scheduler API by hand; <see cref="MesosClient"/> does it for you.</summary>
public static class SchedulerRequests
{
    /// <summary>A <c>POST /api/v1/scheduler</c> request carrying <paramref name="call"/>.</summary>
    /// <param name="master">The master's base URL.</param>
    /// <param name="call">The call.</param>
    /// <param name="streamId">The subscription's <c>Mesos-Stream-Id</c>; null for SUBSCRIBE.</param>
    /// <returns>The request, which the caller sends and disposes.</returns>
    public static HttpRequestMessage Create(Uri master, Call call, string? streamId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(master, "/api/v1/scheduler"))
        {
            Content = new ByteArrayContent(MesosJson.SerializeToUtf8(call)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (streamId is not null)
        {
            request.Headers.Add("Mesos-Stream-Id", streamId);
        }

        return request;
    }
}
