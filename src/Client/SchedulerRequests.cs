using System.Net.Http.Headers;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Scheduler;

namespace Mesos.Orleans.Client;

/// <summary>A scheduler call as an HTTP request: JSON body, and the subscription's stream id when there is one.</summary>
public static class SchedulerRequests
{
    public static HttpRequestMessage Create(Uri master, Call call, string? streamId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(master, "/api/v1/scheduler"))
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
