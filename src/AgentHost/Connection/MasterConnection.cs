using System.Net;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;

namespace Mesos.Orleans.AgentHost.Connection;

/// <summary>Keeps the agent subscribed to the master: subscribes (with its ID and running tasks once it
/// has them), handles the event stream, and reconnects with backoff when the stream ends, breaks, or
/// goes silent for three heartbeat intervals. Retries wait 200 ms doubling to 10 s, each drawn at random
/// between half and one and a half of that (as Mesos's agents spread their registrations with
/// --registration_backoff_factor), so that thousands of agents losing one master do not come back in step;
/// while a live master answers that no leader is elected yet, the wait grows to 1 s only: an election takes
/// a second or two, and an agent waiting out a longer backoff after it would be late for the new leader.</summary>
public sealed class MasterConnection(AgentDaemon agent, ILogger<MasterConnection> logger) : BackgroundService
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LeaderlessMaxBackoff = TimeSpan.FromSeconds(1);
    private readonly LeaderTermRecord _terms = new(agent.Options.WorkDir);

    /// <summary>Whether the agent currently holds a subscription.</summary>
    public bool Connected { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = MinBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            var attempt = Attempt.Failed;
            try
            {
                attempt = await SubscribeOnceAsync(stoppingToken).ConfigureAwait(false);
                if (attempt == Attempt.Subscribed)
                {
                    backoff = MinBackoff;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or System.Text.Json.JsonException
                                          || (e is OperationCanceledException && !stoppingToken.IsCancellationRequested))
            {
                logger.LogWarning("Connection to the master at {Master} lost: {Error}", agent.Master.Current, e.Message);
                agent.Master.TryNextMaster();
            }
            finally
            {
                Connected = false;
                agent.Master.StreamId = null;
            }

            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            await Task.Delay(backoff * (0.5 + Random.Shared.NextDouble()), stoppingToken).ConfigureAwait(false);
            var cap = attempt == Attempt.NoLeaderYet ? LeaderlessMaxBackoff : MaxBackoff;
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, cap.Ticks));
        }
    }

    /// <summary>How a subscription attempt ended.</summary>
    private enum Attempt
    {
        /// <summary>Subscribed (and its stream since ended), or sent on to the leader.</summary>
        Subscribed,

        /// <summary>A live master that knows no leader yet: an election is under way.</summary>
        NoLeaderYet,

        Failed,
    }

    /// <summary>One subscription, until its stream ends.</summary>
    private async Task<Attempt> SubscribeOnceAsync(CancellationToken stoppingToken)
    {
        var call = new AgentCall
        {
            Type = AgentCallType.SUBSCRIBE,
            AgentId = agent.AgentId,
            Subscribe = new AgentSubscribe { AgentInfo = agent.Info(), AgentUrl = agent.Url(), Tasks = agent.TaskReport() },
        };
        using var response = await agent.Master.SubscribeAsync(call, stoppingToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.TemporaryRedirect && agent.Master.FollowRedirect(response.Headers.Location))
        {
            logger.LogInformation("Following the leading master at {Master}", agent.Master.Current);
            return Attempt.Subscribed; // Straight on to the leader, no backoff.
        }

        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            logger.LogWarning("The master at {Master} knows no leader yet", agent.Master.Current);
            agent.Master.TryNextMaster();
            return Attempt.NoLeaderYet;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            var reason = await response.Content.ReadAsStringAsync(stoppingToken).ConfigureAwait(false);
            logger.LogWarning("The master refused the subscription: {Status} {Reason}", (int)response.StatusCode, reason);
            return Attempt.Failed;
        }

        var streamId = response.Headers.TryGetValues("Mesos-Stream-Id", out var values) ? values.FirstOrDefault() : null;
        await using var body = await response.Content.ReadAsStreamAsync(stoppingToken).ConfigureAwait(false);
        var reader = new RecordIoReader(body);
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var silenceLimit = TimeSpan.FromSeconds(15);
        var subscribed = false;
        silence.CancelAfter(silenceLimit);
        while (await reader.ReadAsync(silence.Token).ConfigureAwait(false) is { } record)
        {
            silence.CancelAfter(silenceLimit);
            var @event = MesosJson.Deserialize<AgentEvent>(record);
            if (@event?.Type == AgentEventType.SUBSCRIBED && @event.Subscribed?.AgentId is { } id)
            {
                if (!_terms.Accept(@event.Subscribed.LeaderTerm))
                {
                    logger.LogWarning(
                        "Refusing master {Master}: its leader term {Term} is older than term {Highest} already followed",
                        agent.Master.Current, @event.Subscribed.LeaderTerm, _terms.Highest);
                    agent.Master.TryNextMaster();
                    return Attempt.Failed;
                }

                agent.Master.StreamId = streamId;
                Connected = true;
                subscribed = true;
                if (@event.Subscribed.HeartbeatIntervalSeconds is { } interval and > 0)
                {
                    silenceLimit = TimeSpan.FromSeconds(interval * 3);
                    silence.CancelAfter(silenceLimit);
                }

                logger.LogInformation("Subscribed to the master as agent {Id}", id);
                agent.Subscribed(id);
            }
            else if (@event is not null)
            {
                agent.Handle(@event);
            }
        }

        logger.LogWarning("The master ended the agent's stream");
        return subscribed ? Attempt.Subscribed : Attempt.Failed;
    }
}
