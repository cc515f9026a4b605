using System.Net;
using System.Runtime.CompilerServices;
using Mesos.Orleans.Client.Http;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Client.Scheduler;

/// <summary>A framework's scheduler: the subscription loop that follows the leader and resubscribes, and
/// (in the other part of this class) the calls sent on the current subscription.</summary>
internal sealed partial class MesosScheduler : IMesosScheduler
{
    private readonly HttpClient _http;
    private readonly MasterRouter _router;
    private readonly MesosClientOptions _clientOptions;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    /// <summary>How long implicit reconciliation waits for agents to reregister before asking explicitly; Mesos's
    /// agents have 10 minutes to reregister, most do within seconds.</summary>
    private static readonly TimeSpan ImplicitReconciliationPatience = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan MaxReconciliationDelay = TimeSpan.FromSeconds(30);

    private readonly TaskTracker _tasks = new();
    private SchedulerSubscription? _subscription;
    private FrameworkId? _frameworkId;
    private int _enumerating;
    private long _highestLeaderTerm;

    internal MesosScheduler(HttpClient http, MasterRouter router, MesosClientOptions clientOptions, SchedulerOptions options, TimeProvider time)
    {
        _http = http;
        _router = router;
        _clientOptions = clientOptions;
        _options = options;
        _time = time;
    }

    /// <inheritdoc/>
    public FrameworkId? FrameworkId => Volatile.Read(ref _frameworkId);

    /// <inheritdoc/>
    public bool IsConnected => Volatile.Read(ref _subscription) is not null;

    /// <inheritdoc/>
    public async IAsyncEnumerable<SchedulerEvent> SubscribeAsync(FrameworkInfo framework, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(framework);
        if (Interlocked.Exchange(ref _enumerating, 1) == 1)
        {
            throw new InvalidOperationException("This scheduler is already subscribed; one enumeration at a time");
        }

        try
        {
            var backoff = new ReconnectBackoff(_clientOptions.MinReconnectDelay, _clientOptions.MaxReconnectDelay);
            var resubscription = false;
            while (true)
            {
                var attempt = await TrySubscribeAsync(framework, cancellationToken).ConfigureAwait(false);
                if (attempt.Rejection is { } rejection)
                {
                    yield return rejection;
                    yield break;
                }

                string endReason;
                if (attempt.Subscription is { } subscription)
                {
                    using (subscription)
                    using (var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    {
                        backoff.Reset();
                        framework.Id = subscription.FrameworkId;
                        Volatile.Write(ref _frameworkId, subscription.FrameworkId);
                        Volatile.Write(ref _subscription, subscription);
                        var reconciling = resubscription || attempt.HadFrameworkId ? ReconcileUntilHeardAsync(connection.Token) : Task.CompletedTask;
                        try
                        {
                            yield return new Subscribed(subscription.FrameworkId, subscription.Master, subscription.HeartbeatInterval, resubscription) { Raw = attempt.SubscribedEvent };
                            resubscription = true;
                            var idle = subscription.HeartbeatInterval * Math.Max(1, _options.MissedHeartbeats);
                            while (true)
                            {
                                var (@event, reason) = await subscription.Events.ReadAsync(idle, cancellationToken).ConfigureAwait(false);
                                if (@event is null)
                                {
                                    endReason = reason!;
                                    break;
                                }

                                var typed = SchedulerEventMapper.Map(@event);
                                if (typed is TaskStatusUpdated update)
                                {
                                    _tasks.Observed(update.Status);
                                }

                                yield return typed;
                                if (typed is ErrorReceived)
                                {
                                    // Mesos ends a subscription with ERROR only for good: the framework was removed
                                    // or another scheduler took it over. Subscribing again would fight that.
                                    yield break;
                                }

                                if (typed is TaskStatusUpdated { Status.Uuid: not null } handled && _options.AutoAcknowledge)
                                {
                                    await AcknowledgeQuietlyAsync(handled.Status, cancellationToken).ConfigureAwait(false);
                                }
                            }
                        }
                        finally
                        {
                            Volatile.Write(ref _subscription, null);
                            await connection.CancelAsync().ConfigureAwait(false);
                            await reconciling.ConfigureAwait(false);
                        }
                    }
                }
                else
                {
                    endReason = attempt.Failure!;
                }

                var delay = backoff.Next();
                yield return new Disconnected(endReason, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Volatile.Write(ref _enumerating, 0);
        }
    }

    /// <summary>One SUBSCRIBE to the leader, up to its SUBSCRIBED event. A refusal the master will repeat
    /// (a 4xx answer) throws; a master that cannot be reached or fails is a transient failure.</summary>
    private async Task<SubscribeAttempt> TrySubscribeAsync(FrameworkInfo framework, CancellationToken cancellationToken)
    {
        try
        {
            return await SubscribeOnceAsync(framework, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The master went away while answering: as transient as not reaching it at all.
            return SubscribeAttempt.Failed(e.Message);
        }
    }

    private async Task<SubscribeAttempt> SubscribeOnceAsync(FrameworkInfo framework, CancellationToken cancellationToken)
    {
        var hadFrameworkId = framework.Id is not null;
        var call = new Call { Type = CallType.SUBSCRIBE, FrameworkId = framework.Id, Subscribe = new SubscribeCall { FrameworkInfo = framework } };
        HttpResponseMessage response;
        Uri master;
        try
        {
            (response, master) = await _router.SendAsync(m => SchedulerRequests.Create(m, call, streamId: null), HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (MesosConnectionException e)
        {
            return SubscribeAttempt.Failed(e.Message);
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            using (response)
            {
                var reason = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                return (int)response.StatusCode is >= 400 and < 500
                    ? throw new MesosCallException(response.StatusCode, reason)
                    : SubscribeAttempt.Failed($"{master} answered {(int)response.StatusCode}: {reason}");
            }
        }

        var streamId = response.Headers.TryGetValues("Mesos-Stream-Id", out var ids) ? ids.First() : string.Empty;

        // A master of an HA group stamps its leader term: one older than a term already followed is a deposed
        // leader still serving from before it noticed (a pause, a partition) — not to be followed.
        if (response.Headers.TryGetValues("Mesos-Leader-Term", out var terms)
            && long.TryParse(terms.First(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var term))
        {
            if (term < _highestLeaderTerm)
            {
                response.Dispose();
                _router.Distrust(master);
                return SubscribeAttempt.Failed($"{master} leads in term {term}, older than term {_highestLeaderTerm} already followed");
            }

            _highestLeaderTerm = term;
        }

        var events = await EventStreamReader<Event>.OpenAsync(response, _time, cancellationToken).ConfigureAwait(false);
        var (first, endReason) = await events.ReadAsync(_clientOptions.RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (first?.Type == EventType.SUBSCRIBED && first.Subscribed?.FrameworkId is { } frameworkId)
        {
            var heartbeat = first.Subscribed.HeartbeatIntervalSeconds is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromSeconds(15);
            return new SubscribeAttempt(new SchedulerSubscription(master, streamId, frameworkId, heartbeat, events), first, null, null, hadFrameworkId);
        }

        events.Dispose();
        return first?.Type == EventType.ERROR
            ? new SubscribeAttempt(null, null, null, SchedulerEventMapper.Map(first), hadFrameworkId)
            : SubscribeAttempt.Failed(endReason ?? $"{master} sent {first?.Type} before SUBSCRIBED");
    }

    private async Task AcknowledgeQuietlyAsync(TaskStatus status, CancellationToken cancellationToken)
    {
        try
        {
            await AcknowledgeAsync(status, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MesosConnectionException or MesosCallException)
        {
            // The agent resends an unacknowledged update, to this subscription or the next one.
        }
    }

    /// <summary>Mesos's reconciliation after a (re)subscription: implicit, repeated with backoff until every
    /// task the scheduler knows has been heard from (after a master failover the master learns tasks only as
    /// their agents reregister, so early answers leave some out); tasks still unheard after
    /// <see cref="ImplicitReconciliationPatience"/> are asked about explicitly, and the master's answer for
    /// them (lost or unknown) is final.</summary>
    private async Task ReconcileUntilHeardAsync(CancellationToken connection)
    {
        if (!_options.Reconcile)
        {
            return;
        }

        _tasks.BeginRound();
        var waited = TimeSpan.Zero;
        var delay = TimeSpan.FromSeconds(1);
        try
        {
            await ReconcileAsync(null, connection).ConfigureAwait(false);
            while (true)
            {
                await Task.Delay(delay, _time, connection).ConfigureAwait(false);
                waited += delay;
                if (_tasks.Unheard() is not { Count: > 0 } unheard)
                {
                    return;
                }

                if (waited >= ImplicitReconciliationPatience)
                {
                    await ReconcileAsync(unheard, connection).ConfigureAwait(false);
                    return;
                }

                await ReconcileAsync(null, connection).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconciliationDelay.Ticks));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or MesosConnectionException or MesosCallException)
        {
            // The connection ended; the next subscription reconciles again.
        }
    }

    private sealed record SubscribeAttempt(SchedulerSubscription? Subscription, Event? SubscribedEvent, string? Failure, SchedulerEvent? Rejection, bool HadFrameworkId)
    {
        public static SubscribeAttempt Failed(string reason) => new(null, null, reason, null, false);
    }
}
