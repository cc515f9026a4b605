using System.Net;
using System.Runtime.CompilerServices;
using Mesos.Orleans.Client.Http;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Operator;

namespace Mesos.Orleans.Client.Operator;

/// <summary><see cref="IClusterEvents"/>: the operator SUBSCRIBE stream, reconnected to the leader (with
/// backoff) whenever it ends, breaks or falls silent.</summary>
internal sealed class ClusterEvents(OperatorApi api, MesosClientOptions options, TimeProvider time) : IClusterEvents
{
    /// <summary>Mesos's operator heartbeat when the master does not say.</summary>
    private static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(15);

    private const int MissedHeartbeats = 3;

    public async IAsyncEnumerable<OperatorEvent> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var backoff = new ReconnectBackoff(options.MinReconnectDelay, options.MaxReconnectDelay);
        while (true)
        {
            using (var stream = await TryOpenAsync(cancellationToken).ConfigureAwait(false))
            {
                if (stream is not null)
                {
                    var idle = options.RequestTimeout;
                    while (true)
                    {
                        var (@event, _) = await stream.ReadAsync(idle, cancellationToken).ConfigureAwait(false);
                        if (@event is null)
                        {
                            break;
                        }

                        if (@event.Type == OperatorEventType.SUBSCRIBED)
                        {
                            backoff.Reset();
                            var heartbeat = @event.Subscribed?.HeartbeatIntervalSeconds is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : DefaultHeartbeat;
                            idle = heartbeat * MissedHeartbeats;
                        }

                        yield return @event;
                    }
                }
            }

            await Task.Delay(backoff.Next(), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The stream of the leader, or null when no master could be subscribed to now.</summary>
    private async Task<EventStreamReader<OperatorEvent>?> TryOpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (response, _) = await api.SendAsync(new OperatorCall { Type = OperatorCallType.SUBSCRIBE }, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                using (response)
                {
                    await MasterAnswers.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
                    throw new MesosCallException(response.StatusCode, "Expected 200 with the event stream");
                }
            }

            return await EventStreamReader<OperatorEvent>.OpenAsync(response, time, cancellationToken).ConfigureAwait(false);
        }
        catch (MesosConnectionException)
        {
            return null;
        }
        catch (MesosCallException e) when ((int)e.StatusCode >= 500)
        {
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return null;
        }
    }
}
