using System.Net.Http.Headers;
using Mesos.Orleans.Client.Http;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;

namespace Mesos.Orleans.Client.Operator;

/// <summary>Operator calls (<c>POST /api/v1</c>) sent to the leading master, in JSON.</summary>
internal sealed class OperatorApi(MasterRouter router)
{
    /// <summary>A read: the typed body of the 200 answer.</summary>
    public async Task<OperatorResponse> GetAsync(OperatorCallType type, CancellationToken cancellationToken)
    {
        var (response, _) = await SendAsync(new OperatorCall { Type = type }, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            await MasterAnswers.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return MesosJson.Deserialize<OperatorResponse>(body) ?? new OperatorResponse { Type = type };
        }
    }

    /// <summary>A mutation: succeeds on any 2xx answer, throws the master's reason otherwise.</summary>
    public async Task ExecuteAsync(OperatorCall call, CancellationToken cancellationToken)
    {
        var (response, _) = await SendAsync(call, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            await MasterAnswers.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<(HttpResponseMessage Response, Uri Master)> SendAsync(OperatorCall call, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var body = MesosJson.SerializeToUtf8(call);
        return router.SendAsync(
            master =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, new Uri(master, "/api/v1")) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return request;
            },
            completion,
            cancellationToken);
    }
}
