using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.Grains.Core;

// Framework lifecycle: subscribe (new, resubscribe, failover), disconnect, failover timeout, teardown.
public sealed partial class MasterCore
{
    public Task<FrameworkSubscription> SubscribeFrameworkAsync(Call call) =>
        _loop.InvokeAsync(() => SubscribeFramework(call));

    /// <summary>The HTTP layer saw the subscription's connection end.</summary>
    public void FrameworkStreamEnded(FrameworkId id, string streamId) => _loop.Post(() =>
    {
        if (_frameworks.TryGetValue(id, out var framework) && framework.Stream?.StreamId == streamId)
        {
            Disconnect(framework);
        }
    });

    private async Task<FrameworkSubscription> SubscribeFramework(Call call)
    {
        if (SchedulerCallValidation.ValidateSubscribe(call) is { } error)
        {
            return FrameworkSubscription.Rejected(error);
        }

        var info = call.Subscribe!.FrameworkInfo!;
        var requestedId = call.FrameworkId ?? info.Id;
        var stream = NewSchedulerStream();

        // Checks Mesos makes after answering 200 are reported as ERROR on the stream, which then ends.
        var postError = SchedulerCallValidation.ValidateFrameworkInfo(info)
            ?? (requestedId is not null && _removedFrameworks.Contains(requestedId) ? "Framework has been removed" : null);
        if (postError is not null)
        {
            stream.SendAndClose(Event.ForError(postError));
            return new FrameworkSubscription(null, stream, requestedId);
        }

        var now = _time.GetUtcNow();
        FrameworkEntity framework;
        var isNew = false;
        var suppressed = call.Subscribe.SuppressedRoles ?? [];
        if (requestedId is not null && _frameworks.TryGetValue(requestedId, out var existing))
        {
            framework = existing;
            Failover(framework, info);
            framework.ReregisteredTime = now;
            _allocator.UpdateFramework(framework.Id, framework.Roles, suppressed);
            _allocator.SetFrameworkActive(framework.Id, true);
        }
        else
        {
            var id = requestedId ?? NewFrameworkId();
            info.Id = id;
            framework = new FrameworkEntity(id, info, now);
            isNew = true;
            _frameworks[id] = framework;
            AdoptAgentTasks(framework, _agents.Values);
            _allocator.AddFramework(id, framework.Roles, suppressed);
        }

        ForgetExpectedFramework(framework.Id);
        await Persist((r, ct) => r.AddFrameworkAsync(framework.Id, framework.Info, now, ct)).ConfigureAwait(false);

        framework.SuppressedRoles.Clear();
        foreach (var role in suppressed)
        {
            framework.SuppressedRoles.Add(role);
        }

        // Registered before SUBSCRIBED goes out: clients send calls the moment they read it.
        framework.Stream = stream;
        stream.Send(new Event
        {
            Type = EventType.SUBSCRIBED,
            Subscribed = new SubscribedEvent
            {
                FrameworkId = framework.Id,
                HeartbeatIntervalSeconds = _options.HeartbeatInterval.TotalSeconds,
                MasterInfo = Info,
            },
        });
        stream.Send(Event.Heartbeat());
        _logger.LogInformation("Framework {Id} ({Name}) subscribed", framework.Id, framework.Info.Name);
        Count(isNew ? "master/messages_register_framework" : "master/messages_reregister_framework");
        PublishOperatorEvent(!isNew
            ? new OperatorEvent { Type = OperatorEventType.FRAMEWORK_UPDATED, FrameworkUpdated = new FrameworkChanged { Framework = FrameworkView(framework) } }
            : new OperatorEvent { Type = OperatorEventType.FRAMEWORK_ADDED, FrameworkAdded = new FrameworkChanged { Framework = FrameworkView(framework) } });
        RequestAllocation();
        return new FrameworkSubscription(null, stream, framework.Id);
    }

    /// <summary>A known framework subscribes again: the new stream replaces the old one, its info is
    /// updated (user and checkpoint are kept, as Mesos does) and its outstanding offers are recovered.</summary>
    private void Failover(FrameworkEntity framework, FrameworkInfo info)
    {
        CancelFailoverDeadline(framework);
        if (framework.Stream is { IsClosed: false } old)
        {
            old.SendAndClose(Event.ForError("Framework failed over"));
        }

        info.Id = framework.Id;
        info.User = framework.Info.User;
        info.Checkpoint = framework.Info.Checkpoint;
        framework.Info = info;
        foreach (var offer in framework.Offers.Values.ToList())
        {
            RemoveOffer(offer, rescind: false);
        }
    }

    private void Disconnect(FrameworkEntity framework)
    {
        framework.Stream?.Close();
        framework.Stream = null;
        foreach (var offer in framework.Offers.Values.ToList())
        {
            RemoveOffer(offer, rescind: false);
        }

        _allocator.SetFrameworkActive(framework.Id, false);
        var timeout = FailoverTimeout(framework.Info);
        _logger.LogInformation(
            "Framework {Id} disconnected; removing it in {Timeout} unless it resubscribes", framework.Id, timeout);
        framework.FailoverDeadline = After(timeout);
        _failoverDeadlines.Start(framework.Id, framework.FailoverDeadline.Value);
        RequestAllocation();
    }

    /// <summary>A framework's failover_timeout (validated as a finite, non-negative number of seconds); Mesos
    /// allows years, so it is capped where a <see cref="TimeSpan"/> ends.</summary>
    private static TimeSpan FailoverTimeout(FrameworkInfo info) =>
        TimeSpan.FromSeconds(Math.Clamp(info.FailoverTimeout ?? 0, 0, TimeSpan.MaxValue.TotalSeconds / 4));

    /// <summary>Now plus <paramref name="delay"/>, or the end of time when that lies beyond it.</summary>
    private DateTimeOffset After(TimeSpan delay)
    {
        var now = _time.GetUtcNow();
        return delay < DateTimeOffset.MaxValue - now ? now + delay : DateTimeOffset.MaxValue;
    }

    /// <summary>The keeper of failover deadlines says the framework's has passed. True when that is settled
    /// (the framework removed, or back, or gone already); false when this master does not see the deadline
    /// passed yet (a clock a little behind the keeper's), so that the keeper asks again later.</summary>
    public Task<bool> FailoverDeadlinePassed(FrameworkId id) => _loop.InvokeAsync(async () =>
    {
        if (!_frameworks.TryGetValue(id, out var framework))
        {
            await ExpireRecoveredFrameworkAsync(id).ConfigureAwait(false);
            return true;
        }

        if (framework.Connected || framework.FailoverDeadline is not { } deadline)
        {
            return true;
        }

        if (_time.GetUtcNow() < deadline)
        {
            return false;
        }

        await RemoveFrameworkAsync(framework, "failover timeout elapsed").ConfigureAwait(false);
        return true;
    });

    private void CancelFailoverDeadline(FrameworkEntity framework)
    {
        if (framework.FailoverDeadline is not null)
        {
            framework.FailoverDeadline = null;
            _failoverDeadlines.Cancel(framework.Id);
        }
    }

    /// <summary>Removes a framework for good: its tasks are killed, its offers dropped, its stream closed.</summary>
    private async Task RemoveFrameworkAsync(FrameworkEntity framework, string why)
    {
        _logger.LogInformation("Removing framework {Id}: {Why}", framework.Id, why);
        CancelFailoverDeadline(framework);

        foreach (var offer in framework.Offers.Values.ToList())
        {
            RemoveOffer(offer, rescind: false);
        }

        foreach (var agent in _agents.Values.Where(a => a.Tasks.Values.Any(t => t.FrameworkId == framework.Id)))
        {
            SendToAgent(agent, new AgentEvent
            {
                Type = AgentEventType.SHUTDOWN_FRAMEWORK,
                ShutdownFramework = new ShutdownFramework { FrameworkId = framework.Id },
            });
        }

        foreach (var task in framework.Tasks.Values.ToList())
        {
            if (!task.IsTerminal)
            {
                task.State = TaskState.TASK_KILLED;
                ReleaseTaskResources(task);
            }

            ForgetTask(task);
        }

        framework.Stream?.Close();
        framework.UnregisteredTime = _time.GetUtcNow();
        _frameworks.Remove(framework.Id);
        _allocator.RemoveFramework(framework.Id);
        _completedFrameworks.Add(framework);
        if (_completedFrameworks.Count > MaxCompletedFrameworks)
        {
            _completedFrameworks.RemoveAt(0);
        }

        PublishOperatorEvent(new OperatorEvent { Type = OperatorEventType.FRAMEWORK_REMOVED, FrameworkRemoved = new FrameworkRemoved { FrameworkInfo = framework.Info } });
        _removedFrameworks.Add(framework.Id);
        var removedAt = _time.GetUtcNow();
        await Persist((r, ct) => r.RemoveFrameworkAsync(framework.Id, removedAt, ct)).ConfigureAwait(false);
        RequestAllocation();
    }
}
