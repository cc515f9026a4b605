using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.Grains.Core;

// Registry writes, in the order the loop makes them. A turn that must not answer before its change is
// durable awaits the write; a turn deep in internal bookkeeping (an agent drained and marked gone, say)
// only enqueues it — the chain keeps the order either way. A write refused for a stale term means another
// master activation exists: the host is told (RegistryFailed) and steps this master down.
public sealed partial class MasterCore
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Writes that take longer are logged: the turns behind them wait.</summary>
    private static readonly TimeSpan SlowWrite = TimeSpan.FromSeconds(1);

    private Task _persisted = Task.CompletedTask;

    /// <summary>Raised (once per failure, off the loop) when a registry write failed because this master's
    /// leader term is stale or the registry could not be reached; the host decides whether to step down.</summary>
    public event Action<Exception>? RegistryFailed;

    /// <summary>Appends a write to the registry chain; the task completes when it is stored (or failed).</summary>
    private Task Persist(Func<IRegistry, CancellationToken, Task> write)
    {
        var previous = _persisted;
        var next = Chain(previous, write);
        _persisted = next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return next;
    }

    private async Task Chain(Task previous, Func<IRegistry, CancellationToken, Task> write)
    {
        await previous.ConfigureAwait(false);
        var started = _time.GetTimestamp();
        try
        {
            await write(_registry, CancellationToken.None).ConfigureAwait(false);
            if (_time.GetElapsedTime(started) is var took && took > SlowWrite)
            {
                _logger.LogWarning("A registry write ({Write}) took {Elapsed}", write.Method.Name, took);
            }
        }
        catch (Exception e)
        {
            _logger.LogError("Registry write failed: {Error}", e.Message);
            ThreadPool.QueueUserWorkItem(_ => RegistryFailed?.Invoke(e));
            throw;
        }
    }

    /// <summary>A master that stops waits for the writes it made (a bounded time: its registry may be the
    /// reason it stops), so that a successor recovers them.</summary>
    private async Task FlushRegistryAsync()
    {
        try
        {
            await _persisted.WaitAsync(FlushTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Registry writes still in flight after {Timeout} as the master stops", FlushTimeout);
        }
    }

    /// <summary>Enqueues a write whose failure is reported through <see cref="RegistryFailed"/> only.</summary>
    private void PersistInBackground(Func<IRegistry, CancellationToken, Task> write) =>
        _ = Persist(write).ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private void PersistAgentState(AgentId id, AgentRegistryState state, DrainConfig? drain = null)
    {
        var now = _time.GetUtcNow();
        PersistInBackground((r, ct) => r.SetAgentStateAsync(id, state, drain, now, ct));
    }

    private void PersistReservations(AgentId id)
    {
        var records = (_reservations.GetValueOrDefault(id) ?? [])
            .Select(c => new ReservationRecord { From = c.From.ToWire(), To = c.To.ToWire() })
            .ToList();
        var now = _time.GetUtcNow();
        PersistInBackground((r, ct) => r.SetReservationsAsync(id, records, now, ct));
    }

    /// <summary>Applies what the registry remembers beyond agents and frameworks: weights and quotas,
    /// machines down, agents gone, deactivated or draining, dynamic reservations.</summary>
    private void RecoverRolesAndAgentStates(RegistrySnapshot snapshot)
    {
        foreach (var role in snapshot.Roles)
        {
            if (role.Weight is { } weight)
            {
                _allocator.SetWeight(role.Role, weight);
            }

            if (role.Quota is { } quota && Quantities(quota.Guarantees) is { } guarantee && Quantities(quota.Limits) is { } limit)
            {
                _allocator.SetQuota(role.Role, guarantee, limit);
            }
        }

        foreach (var machine in snapshot.DownMachines)
        {
            _downMachines.Add(machine);
        }

        foreach (var agent in snapshot.Agents)
        {
            switch (AgentRegistryStates.Parse(agent.State))
            {
                case AgentRegistryState.Gone:
                    _goneAgents.Add(agent.Id);
                    _recoveredAgents.Remove(agent.Id);
                    break;
                case AgentRegistryState.Deactivated:
                case AgentRegistryState.Draining:
                    _recoveredAgentStates[agent.Id] = agent;
                    break;
                case AgentRegistryState.Unreachable:
                    _recoveredAgents.Remove(agent.Id);
                    _unreachableAgents[agent.Id] = agent.Info;
                    break;
            }
        }

        foreach (var reservations in snapshot.Reservations)
        {
            _reservations[reservations.AgentId] = [.. reservations.Conversions.Select(c => (ResourceBag.FromWire(c.From), ResourceBag.FromWire(c.To)))];
        }
    }

    /// <summary>A deactivated or draining agent stays so when it reregisters with a new leader.</summary>
    private void RestoreAgentState(Entities.AgentEntity agent)
    {
        if (!_recoveredAgentStates.Remove(agent.Id, out var recovered))
        {
            return;
        }

        agent.Deactivated = true;
        if (AgentRegistryStates.Parse(recovered.State) == AgentRegistryState.Draining)
        {
            agent.Drain = new DrainInfo { State = DrainState.DRAINING, Config = recovered.Drain };
        }
    }
}
