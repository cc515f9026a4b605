using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Grains.Streams;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

// The operator event stream (SUBSCRIBE on /api/v1): SUBSCRIBED with the whole state, then changes.
public sealed partial class MasterCore
{
    private const int MaxCompletedFrameworks = 50;
    private readonly List<EventStream> _operatorStreams = [];

    public int OperatorSubscribers => _operatorStreams.Count;

    public Task<EventStream> SubscribeOperatorAsync() => _loop.InvokeAsync(() =>
    {
        var stream = new EventStream(Guid.NewGuid().ToString(), _time, _options.HeartbeatInterval, new OperatorEvent { Type = OperatorEventType.HEARTBEAT });
        stream.Send(new OperatorEvent
        {
            Type = OperatorEventType.SUBSCRIBED,
            Subscribed = new OperatorSubscribed { GetState = BuildStateView(), HeartbeatIntervalSeconds = _options.HeartbeatInterval.TotalSeconds },
        });
        stream.Send(new OperatorEvent { Type = OperatorEventType.HEARTBEAT });
        _operatorStreams.Add(stream);
        return stream;
    });

    public void OperatorStreamEnded(EventStream stream) => _loop.Post(() =>
    {
        stream.Close();
        _operatorStreams.Remove(stream);
    });

    /// <summary>Serialises an event once and queues it on every operator stream; closed ones are dropped.</summary>
    private void PublishOperatorEvent(OperatorEvent @event)
    {
        if (_operatorStreams.Count == 0)
        {
            return;
        }

        var record = RecordIo.Frame(MesosJson.SerializeToUtf8(@event));
        _operatorStreams.RemoveAll(stream => !stream.SendRecord(record) || stream.IsClosed);
    }

    private void PublishTaskAdded(TaskEntity task) =>
        PublishOperatorEvent(new OperatorEvent { Type = OperatorEventType.TASK_ADDED, TaskAdded = new TaskAdded { Task = TaskView(task) } });

    private void PublishTaskUpdated(TaskEntity task, TaskStatus status) =>
        PublishOperatorEvent(new OperatorEvent
        {
            Type = OperatorEventType.TASK_UPDATED,
            TaskUpdated = new TaskUpdated { FrameworkId = task.FrameworkId, Status = status, State = task.State },
        });

    private void PublishAgentAdded(AgentEntity agent) =>
        PublishOperatorEvent(new OperatorEvent { Type = OperatorEventType.AGENT_ADDED, AgentAdded = new AgentAdded { Agent = AgentView(agent) } });

    private void PublishAgentRemoved(AgentId id) =>
        PublishOperatorEvent(new OperatorEvent { Type = OperatorEventType.AGENT_REMOVED, AgentRemoved = new AgentRemoved { AgentId = id } });
}
