using Mesos.Orleans.Grains.Streams;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Entities;

/// <summary>A framework as the master knows it: its info, its subscription stream when connected,
/// its tasks and outstanding offers. Mutated only on the master's event loop.</summary>
public sealed class FrameworkEntity
{
    public FrameworkEntity(FrameworkId id, FrameworkInfo info, DateTimeOffset registeredTime)
    {
        Id = id;
        Info = info;
        RegisteredTime = registeredTime;
    }

    public FrameworkId Id { get; }

    public FrameworkInfo Info { get; set; }

    public DateTimeOffset RegisteredTime { get; }

    public DateTimeOffset? ReregisteredTime { get; set; }

    public DateTimeOffset? UnregisteredTime { get; set; }

    public EventStream? Stream { get; set; }

    public bool Connected => Stream is { IsClosed: false };

    /// <summary>When the framework, disconnected, is removed unless it resubscribes first (kept durably by
    /// <see cref="Core.IFailoverDeadlines"/>).</summary>
    public DateTimeOffset? FailoverDeadline { get; set; }

    public HashSet<string> SuppressedRoles { get; } = new(StringComparer.Ordinal);

    public Dictionary<TaskId, TaskEntity> Tasks { get; } = [];

    public Queue<TaskEntity> CompletedTasks { get; } = new();

    public Dictionary<OfferId, OfferEntity> Offers { get; } = [];

    public bool MultiRole => Info.HasCapability(FrameworkCapabilityType.MULTI_ROLE);

    public bool PartitionAware => Info.HasCapability(FrameworkCapabilityType.PARTITION_AWARE);

    public IReadOnlyList<string> Roles => MultiRole ? Info.Roles ?? [] : [Info.Role ?? "*"];
}
