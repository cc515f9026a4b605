using System.Collections.Concurrent;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Registry;

/// <summary>Mesos's <c>--registry=in_memory</c>: nothing survives a restart. For tests and throwaway clusters.</summary>
public sealed class InMemoryRegistry : IRegistry
{
    private readonly ConcurrentDictionary<AgentId, RegisteredAgent> _agents = new();
    private readonly ConcurrentDictionary<FrameworkId, RegisteredFramework> _frameworks = new();

    public Task<RegistrySnapshot> LoadAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new RegistrySnapshot([.. _agents.Values], [.. _frameworks.Values]));

    public Task AdmitAgentAsync(AgentId id, AgentInfo info, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _agents[id] = new RegisteredAgent(id, info, "active");
        return Task.CompletedTask;
    }

    public Task AddFrameworkAsync(FrameworkId id, FrameworkInfo info, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _frameworks[id] = new RegisteredFramework(id, info, Removed: false);
        return Task.CompletedTask;
    }

    public Task RemoveFrameworkAsync(FrameworkId id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (_frameworks.TryGetValue(id, out var framework))
        {
            _frameworks[id] = framework with { Removed = true };
        }

        return Task.CompletedTask;
    }
}
