using Mesos.Orleans.Interfaces.Client;

namespace Mesos.Orleans.Client.Http;

/// <summary>Turns a master's error answer into the exception callers catch: its status and plain-text reason.</summary>
internal static class MasterAnswers
{
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new MesosCallException(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
    }
}
