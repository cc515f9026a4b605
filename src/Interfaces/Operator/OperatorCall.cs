using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;
using Orleans;

namespace Mesos.Orleans.Interfaces.Operator;

/// <summary>mesos.v1.master.Call.Type.</summary>
public enum OperatorCallType
{
    UNKNOWN = 0,
    GET_HEALTH = 1,
    GET_FLAGS = 2,
    GET_VERSION = 3,
    GET_METRICS = 4,
    GET_LOGGING_LEVEL = 5,
    SET_LOGGING_LEVEL = 6,
    LIST_FILES = 7,
    READ_FILE = 8,
    GET_STATE = 9,
    GET_AGENTS = 10,
    GET_FRAMEWORKS = 11,
    GET_EXECUTORS = 12,
    GET_TASKS = 13,
    GET_ROLES = 14,
    GET_WEIGHTS = 15,
    UPDATE_WEIGHTS = 16,
    GET_MASTER = 17,
    SUBSCRIBE = 18,
    RESERVE_RESOURCES = 19,
    UNRESERVE_RESOURCES = 20,
    CREATE_VOLUMES = 21,
    DESTROY_VOLUMES = 22,
    GET_MAINTENANCE_STATUS = 23,
    GET_MAINTENANCE_SCHEDULE = 24,
    UPDATE_MAINTENANCE_SCHEDULE = 25,
    START_MAINTENANCE = 26,
    STOP_MAINTENANCE = 27,
    GET_QUOTA = 28,
    SET_QUOTA = 29,
    REMOVE_QUOTA = 30,
    TEARDOWN = 31,
    MARK_AGENT_GONE = 32,
    GET_OPERATIONS = 33,
    GROW_VOLUME = 34,
    SHRINK_VOLUME = 35,
    UPDATE_QUOTA = 36,
    DRAIN_AGENT = 37,
    DEACTIVATE_AGENT = 38,
    REACTIVATE_AGENT = 39,

    /// <summary>Ours: why roles and frameworks got no offers in the last allocation run.</summary>
    GET_ALLOCATION_REASONS = 1000,

    /// <summary>Ours: allocated and used cpus and mem per agent, role and cluster (from agents' usage reports).</summary>
    GET_UTILIZATION = 1001,

    /// <summary>Ours: every master sharing the registry (HA on PostgreSQL), leader first.</summary>
    GET_MASTERS = 1002,
}

/// <summary>mesos.v1.master.Call: POST /api/v1.</summary>
[GenerateSerializer]
public sealed class OperatorCall
{
    [Id(0)]
    public OperatorCallType? Type { get; set; }

    [Id(1)]
    public UpdateWeightsCall? UpdateWeights { get; set; }

    [Id(2)]
    public UpdateQuotaCall? UpdateQuota { get; set; }

    [Id(3)]
    public AgentIdCall? DeactivateAgent { get; set; }

    [Id(4)]
    public AgentIdCall? ReactivateAgent { get; set; }

    [Id(5)]
    public AgentIdCall? MarkAgentGone { get; set; }

    [Id(6)]
    public DrainAgentCall? DrainAgent { get; set; }

    [Id(7)]
    public TeardownCall? Teardown { get; set; }

    [Id(8)]
    public ReserveResourcesCall? ReserveResources { get; set; }

    [Id(9)]
    public ReserveResourcesCall? UnreserveResources { get; set; }

    [Id(10)]
    public MaintenanceMachinesCall? StartMaintenance { get; set; }

    [Id(11)]
    public MaintenanceMachinesCall? StopMaintenance { get; set; }

    [Id(12)]
    public AllocationReasonsCall? GetAllocationReasons { get; set; }

    [Id(13)]
    public GetMetricsCall? GetMetrics { get; set; }
}

[GenerateSerializer]
public sealed class GetMetricsCall
{
    /// <summary>How long Mesos may wait for slow metrics; this master's are always at hand.</summary>
    [Id(0)]
    public DurationInfo? Timeout { get; set; }
}

[GenerateSerializer]
public sealed class WeightInfo
{
    [ProtoRequired]
    [Id(0)]
    public double? Weight { get; set; }

    [Id(1)]
    public string? Role { get; set; }
}

[GenerateSerializer]
public sealed class UpdateWeightsCall
{
    [Id(0)]
    public List<WeightInfo>? WeightInfos { get; set; }
}

/// <summary>A quota value: <c>{"value": 2}</c>.</summary>
[GenerateSerializer]
public sealed class QuotaValue
{
    [Id(0)]
    public double Value { get; set; }
}

/// <summary>mesos.v1.quota.QuotaConfig: maps from resource name to amount.</summary>
[GenerateSerializer]
public sealed class QuotaConfig
{
    [ProtoRequired]
    [Id(0)]
    public string? Role { get; set; }

    [Id(1)]
    public Dictionary<string, QuotaValue>? Guarantees { get; set; }

    [Id(2)]
    public Dictionary<string, QuotaValue>? Limits { get; set; }
}

[GenerateSerializer]
public sealed class UpdateQuotaCall
{
    [Id(0)]
    public bool? Force { get; set; }

    [Id(1)]
    public List<QuotaConfig>? QuotaConfigs { get; set; }
}

[GenerateSerializer]
public sealed class AgentIdCall
{
    [ProtoRequired]
    [Id(0)]
    public AgentId? AgentId { get; set; }
}

/// <summary>google.protobuf.Duration as Mesos writes it: {"seconds": 600, "nanos": 0}.</summary>
[GenerateSerializer]
public sealed class ProtoDuration
{
    [Id(0)]
    public long Seconds { get; set; }

    [Id(1)]
    public int? Nanos { get; set; }
}

[GenerateSerializer]
public sealed class DrainAgentCall
{
    [ProtoRequired]
    [Id(0)]
    public AgentId? AgentId { get; set; }

    [Id(1)]
    public ProtoDuration? MaxGracePeriod { get; set; }

    [Id(2)]
    public bool? MarkGone { get; set; }
}

[GenerateSerializer]
public sealed class TeardownCall
{
    [ProtoRequired]
    [Id(0)]
    public FrameworkId? FrameworkId { get; set; }
}

[GenerateSerializer]
public sealed class ReserveResourcesCall
{
    [ProtoRequired]
    [Id(0)]
    public AgentId? AgentId { get; set; }

    [Id(1)]
    public List<Resource>? Source { get; set; }

    [Id(2)]
    public List<Resource>? Resources { get; set; }
}

[GenerateSerializer]
public sealed class MachineId
{
    [Id(0)]
    public string? Hostname { get; set; }

    [Id(1)]
    public string? Ip { get; set; }
}

[GenerateSerializer]
public sealed class MaintenanceMachinesCall
{
    [Id(0)]
    public List<MachineId>? Machines { get; set; }
}

[GenerateSerializer]
public sealed class AllocationReasonsCall
{
    [Id(0)]
    public string? Role { get; set; }

    [Id(1)]
    public FrameworkId? FrameworkId { get; set; }
}
