using Mesos.Orleans.AgentHost.Connection;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Time;

namespace Mesos.Orleans.UnitTests.Agent;

/// <summary>Status update retries back off from 10 s, doubling to 10 min, and an agent restarted while an update
/// is unacknowledged carries on with the backoff the update had reached.</summary>
public sealed class StatusUpdateBackoffTests
{
    private static readonly FrameworkId Framework = new("f1");
    private static readonly TaskId Task1 = new("t1");

    [Fact]
    public void Retries_double_and_the_backoff_survives_a_restart()
    {
        var time = new ManualTimeProvider();
        var sends = new List<DateTimeOffset>();
        var persisted = new List<TimeSpan>();
        using var before = Manager(time, sends);
        before.PersistBackoff = (_, _, backoff) => persisted.Add(backoff);
        var update = new TaskStatus { TaskId = Task1, State = TaskState.TASK_RUNNING, Uuid = [1, 2, 3] };
        before.Enqueue(Framework, update);

        time.Advance(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(3, sends.Count);
        Assert.Equal([TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40)], persisted);
        Assert.Equal(TimeSpan.FromSeconds(40), before.BackoffOf(Framework, Task1));

        // The agent restarts: the checkpointed update and its backoff are restored; the update goes out again
        // at the next subscription, then waits 40 s (not 10 s) before the following retry.
        before.Dispose();
        sends.Clear();
        using var after = Manager(time, sends);
        after.Restore(Framework, [update], persisted[^1]);
        after.ResendAll();
        Assert.Single(sends);

        time.Advance(TimeSpan.FromSeconds(39));
        Assert.Single(sends);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, sends.Count);
        Assert.Equal(TimeSpan.FromSeconds(80), after.BackoffOf(Framework, Task1));
    }

    [Fact]
    public void The_backoff_stops_at_its_maximum_and_a_new_update_starts_again_at_the_first_retry()
    {
        var time = new ManualTimeProvider();
        var sends = new List<DateTimeOffset>();
        using var manager = Manager(time, sends);
        manager.Restore(Framework, [new TaskStatus { TaskId = Task1, State = TaskState.TASK_RUNNING, Uuid = [1] }], TimeSpan.FromHours(1));
        manager.Enqueue(Framework, new TaskStatus { TaskId = Task1, State = TaskState.TASK_FINISHED, Uuid = [2] });
        Assert.Equal(TimeSpan.FromMinutes(10), manager.BackoffOf(Framework, Task1));

        manager.ResendAll();
        Assert.NotNull(manager.Acknowledge(Framework, Task1, [1]));

        Assert.Equal(TimeSpan.FromSeconds(10), manager.BackoffOf(Framework, Task1));
    }

    private static StatusUpdateManager Manager(ManualTimeProvider time, List<DateTimeOffset> sends) =>
        new((_, _) =>
        {
            sends.Add(time.GetUtcNow());
            return Task.CompletedTask;
        }, time, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10));
}
