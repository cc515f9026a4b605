using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.V1;

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
public sealed class OperatorCall
{
    public OperatorCallType? Type { get; set; }

    public UpdateWeightsCall? UpdateWeights { get; set; }

    public UpdateQuotaCall? UpdateQuota { get; set; }

    public AgentIdCall? DeactivateAgent { get; set; }

    public AgentIdCall? ReactivateAgent { get; set; }

    public AgentIdCall? MarkAgentGone { get; set; }

    public DrainAgentCall? DrainAgent { get; set; }

    public TeardownCall? Teardown { get; set; }

    public ReserveResourcesCall? ReserveResources { get; set; }

    public ReserveResourcesCall? UnreserveResources { get; set; }

    public MaintenanceMachinesCall? StartMaintenance { get; set; }

    public MaintenanceMachinesCall? StopMaintenance { get; set; }

    public AllocationReasonsCall? GetAllocationReasons { get; set; }

    public GetMetricsCall? GetMetrics { get; set; }
}

public sealed class GetMetricsCall
{
    /// <summary>How long Mesos may wait for slow metrics; this master's are always at hand.</summary>
    public DurationInfo? Timeout { get; set; }
}

public sealed class WeightInfo
{
    [ProtoRequired]
    public double? Weight { get; set; }

    public string? Role { get; set; }
}

public sealed class UpdateWeightsCall
{
    public List<WeightInfo>? WeightInfos { get; set; }
}

/// <summary>A quota value: <c>{"value": 2}</c>.</summary>
public sealed class QuotaValue
{
    public double Value { get; set; }
}

/// <summary>mesos.v1.quota.QuotaConfig: maps from resource name to amount.</summary>
public sealed class QuotaConfig
{
    [ProtoRequired]
    public string? Role { get; set; }

    public Dictionary<string, QuotaValue>? Guarantees { get; set; }

    public Dictionary<string, QuotaValue>? Limits { get; set; }
}

public sealed class UpdateQuotaCall
{
    public bool? Force { get; set; }

    public List<QuotaConfig>? QuotaConfigs { get; set; }
}

public sealed class AgentIdCall
{
    [ProtoRequired]
    public AgentId? AgentId { get; set; }
}

/// <summary>google.protobuf.Duration as Mesos writes it: {"seconds": 600, "nanos": 0}.</summary>
public sealed class ProtoDuration
{
    public long Seconds { get; set; }

    public int? Nanos { get; set; }
}

public sealed class DrainAgentCall
{
    [ProtoRequired]
    public AgentId? AgentId { get; set; }

    public ProtoDuration? MaxGracePeriod { get; set; }

    public bool? MarkGone { get; set; }
}

public sealed class TeardownCall
{
    [ProtoRequired]
    public FrameworkId? FrameworkId { get; set; }
}

public sealed class ReserveResourcesCall
{
    [ProtoRequired]
    public AgentId? AgentId { get; set; }

    public List<Resource>? Source { get; set; }

    public List<Resource>? Resources { get; set; }
}

public sealed class MachineId
{
    public string? Hostname { get; set; }

    public string? Ip { get; set; }
}

public sealed class MaintenanceMachinesCall
{
    public List<MachineId>? Machines { get; set; }
}

public sealed class AllocationReasonsCall
{
    public string? Role { get; set; }

    public FrameworkId? FrameworkId { get; set; }
}
