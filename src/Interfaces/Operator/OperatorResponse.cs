using Mesos.Orleans.Interfaces.V1;
using Orleans;

namespace Mesos.Orleans.Interfaces.Operator;

/// <summary>mesos.v1.master.Response: the body of a synchronous operator call.</summary>
[GenerateSerializer]
public sealed class OperatorResponse
{
    [Id(0)]
    public OperatorCallType? Type { get; set; }

    [Id(1)]
    public GetHealth? GetHealth { get; set; }

    [Id(2)]
    public GetFlags? GetFlags { get; set; }

    [Id(3)]
    public GetVersion? GetVersion { get; set; }

    [Id(4)]
    public GetMetrics? GetMetrics { get; set; }

    [Id(5)]
    public GetState? GetState { get; set; }

    [Id(6)]
    public GetAgents? GetAgents { get; set; }

    [Id(7)]
    public GetFrameworks? GetFrameworks { get; set; }

    [Id(8)]
    public GetExecutors? GetExecutors { get; set; }

    [Id(9)]
    public GetTasks? GetTasks { get; set; }

    [Id(10)]
    public GetRoles? GetRoles { get; set; }

    [Id(11)]
    public GetWeights? GetWeights { get; set; }

    [Id(12)]
    public GetMaster? GetMaster { get; set; }

    [Id(13)]
    public GetQuota? GetQuota { get; set; }

    [Id(14)]
    public GetAllocationReasons? GetAllocationReasons { get; set; }

    [Id(15)]
    public GetMasters? GetMasters { get; set; }

    [Id(16)]
    public GetUtilization? GetUtilization { get; set; }
}

[GenerateSerializer]
public sealed class GetHealth
{
    [Id(0)]
    public bool Healthy { get; set; }
}

[GenerateSerializer]
public sealed class Flag
{
    [Id(0)]
    public string? Name { get; set; }

    [Id(1)]
    public string? Value { get; set; }
}

[GenerateSerializer]
public sealed class GetFlags
{
    [Id(0)]
    public List<Flag>? Flags { get; set; }
}

[GenerateSerializer]
public sealed class VersionInfo
{
    [Id(0)]
    public string? Version { get; set; }

    [Id(1)]
    public string? BuildDate { get; set; }

    [Id(2)]
    public double? BuildTime { get; set; }

    [Id(3)]
    public string? BuildUser { get; set; }

    [Id(4)]
    public string? GitSha { get; set; }

    [Id(5)]
    public string? GitBranch { get; set; }
}

[GenerateSerializer]
public sealed class GetVersion
{
    [Id(0)]
    public VersionInfo? VersionInfo { get; set; }
}

[GenerateSerializer]
public sealed class Metric
{
    [Id(0)]
    public string? Name { get; set; }

    [Id(1)]
    public double? Value { get; set; }
}

[GenerateSerializer]
public sealed class GetMetrics
{
    [Id(0)]
    public List<Metric>? Metrics { get; set; }
}

[GenerateSerializer]
public sealed class GetState
{
    [Id(0)]
    public GetTasks? GetTasks { get; set; }

    [Id(1)]
    public GetExecutors? GetExecutors { get; set; }

    [Id(2)]
    public GetFrameworks? GetFrameworks { get; set; }

    [Id(3)]
    public GetAgents? GetAgents { get; set; }
}

[GenerateSerializer]
public sealed class DrainConfig
{
    [Id(0)]
    public ProtoDuration? MaxGracePeriod { get; set; }

    [Id(1)]
    public bool? MarkGone { get; set; }
}

public enum DrainState
{
    UNKNOWN = 0,
    DRAINING = 1,
    DRAINED = 2,
}

[GenerateSerializer]
public sealed class DrainInfo
{
    [Id(0)]
    public DrainState? State { get; set; }

    [Id(1)]
    public DrainConfig? Config { get; set; }
}

/// <summary>GetAgents.Agent.</summary>
[GenerateSerializer]
public sealed class AgentEntry
{
    [Id(0)]
    public AgentInfo? AgentInfo { get; set; }

    [Id(1)]
    public bool Active { get; set; }

    [Id(2)]
    public bool? Deactivated { get; set; }

    [Id(3)]
    public string? Version { get; set; }

    [Id(4)]
    public string? Pid { get; set; }

    [Id(5)]
    public TimeInfo? RegisteredTime { get; set; }

    [Id(6)]
    public TimeInfo? ReregisteredTime { get; set; }

    [Id(7)]
    public List<Resource>? TotalResources { get; set; }

    [Id(8)]
    public List<Resource>? AllocatedResources { get; set; }

    [Id(9)]
    public List<Resource>? OfferedResources { get; set; }

    [Id(10)]
    public DrainInfo? DrainInfo { get; set; }

    /// <summary>Not in Mesos's proto (an extra field its clients ignore): allocated, used and total cpus and
    /// mem of the agent, from its latest usage report.</summary>
    [Id(11)]
    public UtilizationEntry? Utilization { get; set; }
}

[GenerateSerializer]
public sealed class GetAgents
{
    [Id(0)]
    public List<AgentEntry>? Agents { get; set; }

    [Id(1)]
    public List<AgentInfo>? RecoveredAgents { get; set; }
}

/// <summary>GetFrameworks.Framework.</summary>
[GenerateSerializer]
public sealed class FrameworkEntry
{
    [Id(0)]
    public FrameworkInfo? FrameworkInfo { get; set; }

    [Id(1)]
    public bool Active { get; set; }

    [Id(2)]
    public bool Connected { get; set; }

    [Id(3)]
    public bool Recovered { get; set; }

    [Id(4)]
    public TimeInfo? RegisteredTime { get; set; }

    [Id(5)]
    public TimeInfo? ReregisteredTime { get; set; }

    [Id(6)]
    public TimeInfo? UnregisteredTime { get; set; }

    [Id(7)]
    public List<Offer>? Offers { get; set; }

    [Id(8)]
    public List<Resource>? AllocatedResources { get; set; }

    [Id(9)]
    public List<Resource>? OfferedResources { get; set; }
}

[GenerateSerializer]
public sealed class GetFrameworks
{
    [Id(0)]
    public List<FrameworkEntry>? Frameworks { get; set; }

    [Id(1)]
    public List<FrameworkEntry>? CompletedFrameworks { get; set; }
}

[GenerateSerializer]
public sealed class ExecutorEntry
{
    [Id(0)]
    public ExecutorInfo? ExecutorInfo { get; set; }

    [Id(1)]
    public AgentId? AgentId { get; set; }
}

[GenerateSerializer]
public sealed class GetExecutors
{
    [Id(0)]
    public List<ExecutorEntry>? Executors { get; set; }
}

/// <summary>mesos.v1.Task: the master's view of a task.</summary>
[GenerateSerializer]
public sealed class TaskEntry
{
    [Id(0)]
    public string? Name { get; set; }

    [Id(1)]
    public TaskId? TaskId { get; set; }

    [Id(2)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(3)]
    public ExecutorId? ExecutorId { get; set; }

    [Id(4)]
    public AgentId? AgentId { get; set; }

    [Id(5)]
    public TaskState? State { get; set; }

    [Id(6)]
    public List<Resource>? Resources { get; set; }

    [Id(7)]
    public List<TaskStatus>? Statuses { get; set; }

    [Id(8)]
    public TaskState? StatusUpdateState { get; set; }

    [Id(9)]
    public byte[]? StatusUpdateUuid { get; set; }

    [Id(10)]
    public Labels? Labels { get; set; }

    [Id(11)]
    public string? User { get; set; }

    /// <summary>Not in Mesos's proto (an extra field its clients ignore): the task's latest
    /// ResourceStatistics from its agent's usage report.</summary>
    [Id(12)]
    public ResourceStatistics? Statistics { get; set; }
}

[GenerateSerializer]
public sealed class GetTasks
{
    [Id(0)]
    public List<TaskEntry>? Tasks { get; set; }

    [Id(1)]
    public List<TaskEntry>? UnreachableTasks { get; set; }

    [Id(2)]
    public List<TaskEntry>? CompletedTasks { get; set; }
}

[GenerateSerializer]
public sealed class RoleEntry
{
    [Id(0)]
    public string? Name { get; set; }

    [Id(1)]
    public double Weight { get; set; }

    [Id(2)]
    public List<FrameworkId>? Frameworks { get; set; }

    [Id(3)]
    public List<Resource>? Resources { get; set; }

    [Id(4)]
    public QuotaConfig? Quota { get; set; }
}

[GenerateSerializer]
public sealed class GetRoles
{
    [Id(0)]
    public List<RoleEntry>? Roles { get; set; }
}

[GenerateSerializer]
public sealed class GetWeights
{
    [Id(0)]
    public List<WeightInfo>? WeightInfos { get; set; }
}

[GenerateSerializer]
public sealed class GetMaster
{
    [Id(0)]
    public MasterInfo? MasterInfo { get; set; }

    [Id(1)]
    public double? StartTime { get; set; }

    [Id(2)]
    public double? ElectedTime { get; set; }
}

[GenerateSerializer]
public sealed class QuotaStatus
{
    [Id(0)]
    public List<QuotaConfig>? Configs { get; set; }
}

[GenerateSerializer]
public sealed class GetQuota
{
    [Id(0)]
    public QuotaStatus? Status { get; set; }
}

/// <summary>Ours: the allocator's reasons, per role and framework, from its last run.</summary>
[GenerateSerializer]
public sealed class AllocationReason
{
    [Id(0)]
    public string? Role { get; set; }

    [Id(1)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(2)]
    public int Offers { get; set; }

    /// <summary>A NoOfferReason name: NONE when offers were made.</summary>
    [Id(3)]
    public string? Reason { get; set; }

    [Id(4)]
    public string? Explanation { get; set; }
}

[GenerateSerializer]
public sealed class GetAllocationReasons
{
    [Id(0)]
    public double? RunTime { get; set; }

    [Id(1)]
    public List<AllocationReason>? Roles { get; set; }

    [Id(2)]
    public List<AllocationReason>? Frameworks { get; set; }
}

/// <summary>Ours: the masters sharing a PostgreSQL registry, from its masters table.</summary>
[GenerateSerializer]
public sealed class GetMasters
{
    [Id(0)]
    public List<MasterMemberInfo>? Masters { get; set; }
}

[GenerateSerializer]
public sealed class MasterMemberInfo
{
    [Id(0)]
    public string? Id { get; set; }

    [Id(1)]
    public Address? Address { get; set; }

    /// <summary>leader, standby, starting or stopped, as the master last reported.</summary>
    [Id(2)]
    public string? Status { get; set; }

    [Id(3)]
    public long? Term { get; set; }

    [Id(4)]
    public double? StartTime { get; set; }

    [Id(5)]
    public double? LastHeartbeatTime { get; set; }

    /// <summary>Heard from within three lease periods and not stopped.</summary>
    [Id(6)]
    public bool Alive { get; set; }
}
