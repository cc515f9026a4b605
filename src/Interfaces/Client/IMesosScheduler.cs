using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Client;

/// <summary>A framework's scheduler over the v1 scheduler HTTP API. <see cref="SubscribeAsync"/> yields the
/// framework's events; the calls are sent on the current subscription, beside the stream.</summary>
public interface IMesosScheduler
{
    /// <summary>The framework's ID once the master has assigned it (kept across resubscriptions).</summary>
    FrameworkId? FrameworkId { get; }

    /// <summary>True while a subscription is open (between <see cref="Subscribed"/> and
    /// <see cref="Disconnected"/>).</summary>
    bool IsConnected { get; }

    /// <summary>Subscribes the framework and yields its events. After a disconnection or a master failover
    /// it resubscribes to the leader with the same framework ID (with backoff, yielding
    /// <see cref="Disconnected"/> then <see cref="Subscribed"/>) and reconciles its tasks; the enumeration
    /// goes on until cancelled, or ends after the master's <see cref="ErrorReceived"/> (the framework was
    /// removed or failed over to another scheduler). One enumeration at a time per scheduler.</summary>
    /// <param name="framework">The framework; its <see cref="FrameworkInfo.Id"/> is set to the ID the
    /// master assigns, and one already set resubscribes that framework.</param>
    /// <param name="cancellationToken">Ends the enumeration (the framework stays registered for its
    /// failover timeout).</param>
    /// <exception cref="MesosCallException">The master refused the subscription itself (a 4xx answer).</exception>
    IAsyncEnumerable<SchedulerEvent> SubscribeAsync(FrameworkInfo framework, CancellationToken cancellationToken = default);

    /// <summary>Accepts offers and applies operations to them; what the operations leave unused is declined
    /// with <paramref name="filters"/>.</summary>
    /// <param name="offerIds">The offers, all of one agent.</param>
    /// <param name="operations">LAUNCH, LAUNCH_GROUP, RESERVE, UNRESERVE, CREATE, DESTROY, in order.</param>
    /// <param name="filters">The refusal for the unused resources; Mesos's default (5 s) when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task AcceptAsync(IEnumerable<OfferId> offerIds, IEnumerable<OfferOperation> operations, Filters? filters = null, CancellationToken cancellationToken = default);

    /// <summary>Launches tasks on one offer (an ACCEPT with one LAUNCH operation).</summary>
    /// <param name="offer">The offer the tasks' resources come from.</param>
    /// <param name="tasks">The tasks; their agent must be the offer's.</param>
    /// <param name="filters">The refusal for the unused resources; Mesos's default (5 s) when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task LaunchAsync(Offer offer, IEnumerable<TaskInfo> tasks, Filters? filters = null, CancellationToken cancellationToken = default);

    /// <summary>Declines offers, refusing their resources for the filter's time.</summary>
    /// <param name="offerIds">The offers.</param>
    /// <param name="filters">The refusal; Mesos's default (5 s) when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task DeclineAsync(IEnumerable<OfferId> offerIds, Filters? filters = null, CancellationToken cancellationToken = default);

    /// <summary>Kills a task; its end arrives as a status update.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="agentId">Its agent, when known.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task KillAsync(TaskId taskId, AgentId? agentId = null, CancellationToken cancellationToken = default);

    /// <summary>Acknowledges a status update; updates without a uuid need none and are ignored.</summary>
    /// <param name="status">The update's status.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task AcknowledgeAsync(TaskStatus status, CancellationToken cancellationToken = default);

    /// <summary>Asks the master for the latest state of tasks; the answers arrive as status updates.</summary>
    /// <param name="tasks">The tasks to ask about, or null or empty for every task the master knows of the
    /// framework (implicit reconciliation).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task ReconcileAsync(IEnumerable<ReconcileTask>? tasks = null, CancellationToken cancellationToken = default);

    /// <summary>Clears the framework's offer filters and resumes offers.</summary>
    /// <param name="roles">The roles to revive, or null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task ReviveAsync(IEnumerable<string>? roles = null, CancellationToken cancellationToken = default);

    /// <summary>Stops offers until the next revive.</summary>
    /// <param name="roles">The roles to suppress, or null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task SuppressAsync(IEnumerable<string>? roles = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the framework: its tasks are killed and the subscription ends.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task TearDownAsync(CancellationToken cancellationToken = default);

    /// <summary>Sends any scheduler call on the current subscription (framework ID filled in).</summary>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="MesosCallException">The master answered with an error status.</exception>
    /// <exception cref="MesosConnectionException">The scheduler is not subscribed, or the master went away.</exception>
    Task SendAsync(Call call, CancellationToken cancellationToken = default);
}
