namespace Mesos.Orleans.Interfaces.Client;

/// <summary>How a scheduler treats status updates and reconnections.</summary>
public sealed class SchedulerOptions
{
    /// <summary>Acknowledges each status update that needs it once the caller's loop has handled it (when
    /// the enumeration moves on). True by default; turn it off to acknowledge with
    /// <see cref="IMesosScheduler.AcknowledgeAsync"/> after, for example, persisting the state.</summary>
    public bool AutoAcknowledge { get; set; } = true;

    /// <summary>After a resubscription (or a subscription with an existing framework ID) asks the master for
    /// the state of the framework's tasks, again with backoff until every task the scheduler knows has been
    /// heard from. True by default.</summary>
    public bool Reconcile { get; set; } = true;

    /// <summary>How many heartbeat intervals may pass without any event before the connection counts as
    /// lost and the scheduler resubscribes. Mesos's default heartbeat is 15 s; this master sends one every 5 s.</summary>
    public int MissedHeartbeats { get; set; } = 3;
}
