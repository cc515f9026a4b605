using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Interfaces.Operator;

/// <summary>mesos.v1.master.Response: the body of a synchronous operator call.</summary>
public sealed class OperatorResponse
{
    public OperatorCallType? Type { get; set; }

    public GetHealth? GetHealth { get; set; }

    public GetFlags? GetFlags { get; set; }

    public GetVersion? GetVersion { get; set; }

    public GetMetrics? GetMetrics { get; set; }

    public GetState? GetState { get; set; }

    public GetAgents? GetAgents { get; set; }

    public GetFrameworks? GetFrameworks { get; set; }

    public GetExecutors? GetExecutors { get; set; }

    public GetTasks? GetTasks { get; set; }

    public GetRoles? GetRoles { get; set; }

    public GetWeights? GetWeights { get; set; }

    public GetMaster? GetMaster { get; set; }

    public GetQuota? GetQuota { get; set; }

    public GetAllocationReasons? GetAllocationReasons { get; set; }

    public GetMasters? GetMasters { get; set; }

    public GetUtilization? GetUtilization { get; set; }
}

public sealed class GetHealth
{
    public bool Healthy { get; set; }
}

public sealed class Flag
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}

public sealed class GetFlags
{
    public List<Flag>? Flags { get; set; }
}

public sealed class VersionInfo
{
    public string? Version { get; set; }

    public string? BuildDate { get; set; }

    public double? BuildTime { get; set; }

    public string? BuildUser { get; set; }

    public string? GitSha { get; set; }

    public string? GitBranch { get; set; }
}

public sealed class GetVersion
{
    public VersionInfo? VersionInfo { get; set; }
}

public sealed class Metric
{
    public string? Name { get; set; }

    public double? Value { get; set; }
}

public sealed class GetMetrics
{
    public List<Metric>? Metrics { get; set; }
}

public sealed class GetState
{
    public GetTasks? GetTasks { get; set; }

    public GetExecutors? GetExecutors { get; set; }

    public GetFrameworks? GetFrameworks { get; set; }

    public GetAgents? GetAgents { get; set; }
}

public sealed class DrainConfig
{
    public ProtoDuration? MaxGracePeriod { get; set; }

    public bool? MarkGone { get; set; }
}

public enum DrainState
{
    UNKNOWN = 0,
    DRAINING = 1,
    DRAINED = 2,
}

public sealed class DrainInfo
{
    public DrainState? State { get; set; }

    public DrainConfig? Config { get; set; }
}

/// <summary>GetAgents.Agent.</summary>
public sealed class AgentEntry
{
    public AgentInfo? AgentInfo { get; set; }

    public bool Active { get; set; }

    public bool? Deactivated { get; set; }

    public string? Version { get; set; }

    public string? Pid { get; set; }

    public TimeInfo? RegisteredTime { get; set; }

    public TimeInfo? ReregisteredTime { get; set; }

    public List<Resource>? TotalResources { get; set; }

    public List<Resource>? AllocatedResources { get; set; }

    public List<Resource>? OfferedResources { get; set; }

    public DrainInfo? DrainInfo { get; set; }

    /// <summary>Not in Mesos's proto (an extra field its clients ignore): allocated, used and total cpus and
    /// mem of the agent, from its latest usage report.</summary>
    public UtilizationEntry? Utilization { get; set; }
}

public sealed class GetAgents
{
    public List<AgentEntry>? Agents { get; set; }

    public List<AgentInfo>? RecoveredAgents { get; set; }
}

/// <summary>GetFrameworks.Framework.</summary>
public sealed class FrameworkEntry
{
    public FrameworkInfo? FrameworkInfo { get; set; }

    public bool Active { get; set; }

    public bool Connected { get; set; }

    public bool Recovered { get; set; }

    public TimeInfo? RegisteredTime { get; set; }

    public TimeInfo? ReregisteredTime { get; set; }

    public TimeInfo? UnregisteredTime { get; set; }

    public List<Offer>? Offers { get; set; }

    public List<Resource>? AllocatedResources { get; set; }

    public List<Resource>? OfferedResources { get; set; }
}

public sealed class GetFrameworks
{
    public List<FrameworkEntry>? Frameworks { get; set; }

    public List<FrameworkEntry>? CompletedFrameworks { get; set; }
}

public sealed class ExecutorEntry
{
    public ExecutorInfo? ExecutorInfo { get; set; }

    public AgentId? AgentId { get; set; }
}

public sealed class GetExecutors
{
    public List<ExecutorEntry>? Executors { get; set; }
}

/// <summary>mesos.v1.Task: the master's view of a task.</summary>
public sealed class TaskEntry
{
    public string? Name { get; set; }

    public TaskId? TaskId { get; set; }

    public FrameworkId? FrameworkId { get; set; }

    public ExecutorId? ExecutorId { get; set; }

    public AgentId? AgentId { get; set; }

    public TaskState? State { get; set; }

    public List<Resource>? Resources { get; set; }

    public List<TaskStatus>? Statuses { get; set; }

    public TaskState? StatusUpdateState { get; set; }

    public byte[]? StatusUpdateUuid { get; set; }

    public Labels? Labels { get; set; }

    public string? User { get; set; }

    /// <summary>Not in Mesos's proto (an extra field its clients ignore): the task's latest
    /// ResourceStatistics from its agent's usage report.</summary>
    public ResourceStatistics? Statistics { get; set; }
}

public sealed class GetTasks
{
    public List<TaskEntry>? Tasks { get; set; }

    public List<TaskEntry>? UnreachableTasks { get; set; }

    public List<TaskEntry>? CompletedTasks { get; set; }
}

public sealed class RoleEntry
{
    public string? Name { get; set; }

    public double Weight { get; set; }

    public List<FrameworkId>? Frameworks { get; set; }

    public List<Resource>? Resources { get; set; }

    public QuotaConfig? Quota { get; set; }
}

public sealed class GetRoles
{
    public List<RoleEntry>? Roles { get; set; }
}

public sealed class GetWeights
{
    public List<WeightInfo>? WeightInfos { get; set; }
}

public sealed class GetMaster
{
    public MasterInfo? MasterInfo { get; set; }

    public double? StartTime { get; set; }

    public double? ElectedTime { get; set; }
}

public sealed class QuotaStatus
{
    public List<QuotaConfig>? Configs { get; set; }
}

public sealed class GetQuota
{
    public QuotaStatus? Status { get; set; }
}

/// <summary>Ours: the allocator's reasons, per role and framework, from its last run.</summary>
public sealed class AllocationReason
{
    public string? Role { get; set; }

    public FrameworkId? FrameworkId { get; set; }

    public int Offers { get; set; }

    /// <summary>A NoOfferReason name: NONE when offers were made.</summary>
    public string? Reason { get; set; }

    public string? Explanation { get; set; }
}

public sealed class GetAllocationReasons
{
    public double? RunTime { get; set; }

    public List<AllocationReason>? Roles { get; set; }

    public List<AllocationReason>? Frameworks { get; set; }
}

/// <summary>Ours: the masters sharing a PostgreSQL registry, from its masters table.</summary>
public sealed class GetMasters
{
    public List<MasterMemberInfo>? Masters { get; set; }
}

public sealed class MasterMemberInfo
{
    public string? Id { get; set; }

    public Address? Address { get; set; }

    /// <summary>leader, standby, starting or stopped, as the master last reported.</summary>
    public string? Status { get; set; }

    public long? Term { get; set; }

    public double? StartTime { get; set; }

    public double? LastHeartbeatTime { get; set; }

    /// <summary>Heard from within three lease periods and not stopped.</summary>
    public bool Alive { get; set; }
}
