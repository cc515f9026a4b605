using System.Net;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Http;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;

namespace Mesos.Orleans.AgentHost.Connection;

/// <summary>Keeps the agent subscribed to the master: subscribes (with its ID and running tasks once it
/// has them), handles the event stream, and reconnects when the stream ends, breaks, or goes silent for three
/// heartbeat intervals — on the schedule of <see cref="ReconnectSchedule"/>: the next master at once after a
/// failure, a standby's redirect followed at once, and a jittered backoff only after a whole round of masters
/// failed, so that thousands of agents losing one master do not come back in step.</summary>
public sealed class MasterConnection(AgentDaemon agent, ILogger<MasterConnection> logger) : BackgroundService
{
    private readonly LeaderTermRecord _terms = new(agent.Options.WorkDir);

    /// <summary>Whether the agent currently holds a subscription.</summary>
    public bool Connected { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = new ReconnectSchedule(agent.Master.Count);
        while (!stoppingToken.IsCancellationRequested)
        {
            ReconnectOutcome outcome;
            try
            {
                outcome = await SubscribeOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or System.Text.Json.JsonException
                                          || (e is OperationCanceledException && !stoppingToken.IsCancellationRequested))
            {
                logger.LogWarning("Connection to the master at {Master} lost: {Error}", agent.Master.Current, e.Message);

                // A stream that broke after subscribing starts a new round at the same master (it may be back,
                // and a dead one refuses at once); an attempt that never got that far moves on, and so does one
                // whose master went silent or never answered: a hung master accepts connections and says nothing.
                outcome = Connected ? ReconnectOutcome.StreamEnded : ReconnectOutcome.Failed;
                if (outcome == ReconnectOutcome.Failed || e is OperationCanceledException)
                {
                    agent.Master.TryNextMaster();
                }
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

            var wait = schedule.After(outcome);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One subscription, until its stream ends.</summary>
    private async Task<ReconnectOutcome> SubscribeOnceAsync(CancellationToken stoppingToken)
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
            return ReconnectOutcome.Redirected;
        }

        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            logger.LogWarning("The master at {Master} knows no leader yet", agent.Master.Current);
            agent.Master.TryNextMaster();
            return ReconnectOutcome.NoLeaderYet;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            var reason = await response.Content.ReadAsStringAsync(stoppingToken).ConfigureAwait(false);
            logger.LogWarning("The master refused the subscription: {Status} {Reason}", (int)response.StatusCode, reason);
            agent.Master.TryNextMaster();
            return ReconnectOutcome.Failed;
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
                    return ReconnectOutcome.Failed;
                }

                agent.Master.StreamId = streamId;
                agent.Master.UsageUrl = Uri.TryCreate(@event.Subscribed.UsageUrl, UriKind.Absolute, out var usage) ? usage : null;
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
        if (!subscribed)
        {
            agent.Master.TryNextMaster();
        }

        return subscribed ? ReconnectOutcome.StreamEnded : ReconnectOutcome.Failed;
    }
}
