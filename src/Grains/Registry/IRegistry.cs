using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Registry;

/// <summary>The master's durable state. Writes complete before the master acts on them (an agent is
/// admitted, a framework registered, only once its record is stored).</summary>
public interface IRegistry
{
    Task<RegistrySnapshot> LoadAsync(CancellationToken cancellationToken);

    Task AdmitAgentAsync(AgentId id, AgentInfo info, DateTimeOffset at, CancellationToken cancellationToken);

    Task AddFrameworkAsync(FrameworkId id, FrameworkInfo info, DateTimeOffset at, CancellationToken cancellationToken);

    Task RemoveFrameworkAsync(FrameworkId id, DateTimeOffset at, CancellationToken cancellationToken);
}

public sealed record RegistrySnapshot(
    IReadOnlyList<RegisteredAgent> Agents,
    IReadOnlyList<RegisteredFramework> Frameworks);

public sealed record RegisteredAgent(AgentId Id, AgentInfo Info, string State);

public sealed record RegisteredFramework(FrameworkId Id, FrameworkInfo Info, bool Removed);
