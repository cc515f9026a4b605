using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

// The operator API's read models (mesos.v1.master.Response), built on the loop from live state.
public sealed partial class MasterCore
{
    private readonly List<FrameworkEntity> _completedFrameworks = [];
    private readonly Dictionary<OperatorCallType, CoalescedRead<OperatorResponse>> _sharedViews = [];

    public Task<GetState> GetStateViewAsync() => _loop.InvokeAsync(BuildStateView);

    public Task<GetAgents> GetAgentsAsync() => _loop.InvokeAsync(BuildAgents);

    public Task<GetFrameworks> GetFrameworksAsync() => _loop.InvokeAsync(BuildFrameworks);

    public Task<GetTasks> GetTasksAsync() => _loop.InvokeAsync(BuildTasks);

    public Task<GetExecutors> GetExecutorsAsync() => _loop.InvokeAsync(BuildExecutors);

    /// <summary>The JSON body of a GET_STATE, GET_AGENTS, GET_FRAMEWORKS, GET_TASKS or GET_EXECUTORS answer: one
    /// view built and rendered for all the callers waiting for it at the same time.</summary>
    public Task<byte[]> GetOperatorViewJsonAsync(OperatorCallType type)
    {
        CoalescedRead<OperatorResponse> shared;
        lock (_sharedViews)
        {
            if (!_sharedViews.TryGetValue(type, out shared!))
            {
                Func<OperatorResponse> build = type switch
                {
                    OperatorCallType.GET_STATE => () => new OperatorResponse { Type = type, GetState = BuildStateView() },
                    OperatorCallType.GET_AGENTS => () => new OperatorResponse { Type = type, GetAgents = BuildAgents() },
                    OperatorCallType.GET_FRAMEWORKS => () => new OperatorResponse { Type = type, GetFrameworks = BuildFrameworks() },
                    OperatorCallType.GET_TASKS => () => new OperatorResponse { Type = type, GetTasks = BuildTasks() },
                    OperatorCallType.GET_EXECUTORS => () => new OperatorResponse { Type = type, GetExecutors = BuildExecutors() },
                    _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a shared operator view"),
                };
                shared = new CoalescedRead<OperatorResponse>(_loop, build, MesosJson.SerializeToUtf8);
                _sharedViews[type] = shared;
            }
        }

        return shared.ReadAsync();
    }

    public Task<GetRoles> GetRolesAsync() => _loop.InvokeAsync(BuildRoles);

    public Task<GetWeights> GetWeightsAsync() => _loop.InvokeAsync(() => new GetWeights
    {
        WeightInfos = [.. _allocator.RoleConfigs.Where(r => r.Weight != 1.0).Select(r => new WeightInfo { Role = r.Role, Weight = r.Weight })],
    });

    public Task<GetQuota> GetQuotaAsync() => _loop.InvokeAsync(() => new GetQuota
    {
        Status = new QuotaStatus
        {
            Configs = [.. _allocator.RoleConfigs.Where(r => r.HasGuarantee || r.HasLimit).Select(r => QuotaConfigOf(r.Role, r.Guarantee, r.Limit))],
        },
    });

    public GetMaster MasterView() => new()
    {
        MasterInfo = Info,
        StartTime = StartTime.ToUnixTimeMilliseconds() / 1000.0,
        ElectedTime = StartTime.ToUnixTimeMilliseconds() / 1000.0,
    };

    private GetState BuildStateView() => new()
    {
        GetTasks = BuildTasks(),
        GetExecutors = BuildExecutors(),
        GetFrameworks = BuildFrameworks(),
        GetAgents = BuildAgents(),
    };

    private GetAgents BuildAgents() => new()
    {
        Agents = [.. _agents.Values.Select(AgentView)],
        RecoveredAgents = [.. _recoveredAgents.Values],
    };

    private AgentEntry AgentView(AgentEntity agent) => new()
    {
        AgentInfo = agent.Info,
        Active = agent.Connected && !agent.Deactivated,
        Deactivated = agent.Deactivated,
        Version = _options.Version,
        Pid = $"slave(1)@{agent.Url.Address?.Ip}:{agent.Url.Address?.Port}",
        RegisteredTime = TimeOf(agent.RegisteredTime),
        ReregisteredTime = agent.ReregisteredTime is { } at ? TimeOf(at) : null,
        TotalResources = agent.Total.ToWire(ResourceFormat.Endpoint),
        AllocatedResources = agent.Used.Add(agent.Offered).ToWire(ResourceFormat.Endpoint),
        OfferedResources = agent.Offered.ToWire(ResourceFormat.Endpoint),
        DrainInfo = agent.Drain,
        Utilization = AgentUtilizationOf(agent),
    };

    private GetFrameworks BuildFrameworks() => new()
    {
        Frameworks = [.. _frameworks.Values.Select(FrameworkView)],
        CompletedFrameworks = [.. _completedFrameworks.Select(FrameworkView)],
    };

    private FrameworkEntry FrameworkView(FrameworkEntity framework)
    {
        var used = framework.Tasks.Values.Where(t => !t.IsTerminal).Aggregate(ResourceBag.Empty, (sum, t) => sum.Add(t.Resources));
        var offered = framework.Offers.Values.Aggregate(ResourceBag.Empty, (sum, o) => sum.Add(o.Resources));
        return new FrameworkEntry
        {
            FrameworkInfo = framework.Info,
            Active = framework.Connected,
            Connected = framework.Connected,
            Recovered = false,
            RegisteredTime = TimeOf(framework.RegisteredTime),
            ReregisteredTime = framework.ReregisteredTime is { } re ? TimeOf(re) : null,
            UnregisteredTime = framework.UnregisteredTime is { } un ? TimeOf(un) : null,
            Offers = [.. framework.Offers.Values.Where(o => _agents.ContainsKey(o.AgentId)).Select(o => ToWire(o, framework, _agents[o.AgentId]))],
            AllocatedResources = used.Add(offered).ToWire(ResourceFormat.Endpoint),
            OfferedResources = offered.ToWire(ResourceFormat.Endpoint),
        };
    }

    private GetTasks BuildTasks() => new()
    {
        Tasks = [.. _frameworks.Values.SelectMany(f => f.Tasks.Values).Where(t => t.State != TaskState.TASK_UNREACHABLE).Select(TaskView)],
        UnreachableTasks = [.. _frameworks.Values.SelectMany(f => f.Tasks.Values).Where(t => t.State == TaskState.TASK_UNREACHABLE).Select(TaskView)],
        CompletedTasks = [.. _frameworks.Values.Concat(_completedFrameworks).SelectMany(f => f.CompletedTasks).Select(TaskView)],
    };

    private TaskEntry TaskView(TaskEntity task) => new()
    {
        Name = task.Info.Name,
        TaskId = task.Id,
        FrameworkId = task.FrameworkId,
        ExecutorId = task.ExecutorId,
        AgentId = task.AgentId,
        State = task.State,
        Resources = task.Resources.ToWire(ResourceFormat.Endpoint),
        Statuses = task.Statuses.Count > 0 ? [.. task.Statuses] : null,
        StatusUpdateState = task.UnacknowledgedStatus?.State,
        StatusUpdateUuid = task.UnacknowledgedStatus?.Uuid,
        Labels = task.Info.Labels,
        Statistics = StatisticsOf(task),
    };

    /// <summary>Command tasks run under an executor named after the task, as Mesos's command executor does.</summary>
    private GetExecutors BuildExecutors() => new()
    {
        Executors = [.. _agents.Values.SelectMany(a => a.Tasks.Values.Where(t => !t.IsTerminal).Select(t => new ExecutorEntry
        {
            AgentId = a.Id,
            ExecutorInfo = new ExecutorInfo
            {
                Type = "DEFAULT",
                ExecutorId = new ExecutorId(t.Id.Value),
                FrameworkId = t.FrameworkId,
                Command = t.Info.Command,
                Name = $"Command Executor (Task: {t.Id}) (Command: {t.Info.Command?.Value})",
            },
        }))],
    };

    private GetRoles BuildRoles()
    {
        var roles = new SortedDictionary<string, RoleEntry>(StringComparer.Ordinal)
        {
            ["*"] = new RoleEntry { Name = "*", Weight = 1.0 },
        };
        foreach (var config in _allocator.RoleConfigs)
        {
            roles[config.Role] = new RoleEntry { Name = config.Role, Weight = config.Weight, Quota = QuotaConfigOf(config.Role, config.Guarantee, config.Limit) };
        }

        foreach (var framework in _frameworks.Values)
        {
            foreach (var role in framework.Roles)
            {
                if (!roles.TryGetValue(role, out var entry))
                {
                    roles[role] = entry = new RoleEntry { Name = role, Weight = _allocator.RoleConfigOf(role).Weight };
                }

                (entry.Frameworks ??= []).Add(framework.Id);
            }
        }

        foreach (var (role, entry) in roles)
        {
            var allocated = _agents.Values.Aggregate(ResourceBag.Empty, (sum, a) => sum.Add(a.Used.AllocatedTo(role)).Add(a.Offered.AllocatedTo(role)));
            entry.Resources = allocated.IsEmpty ? null : allocated.ToWire(ResourceFormat.Endpoint);
        }

        return new GetRoles { Roles = [.. roles.Values] };
    }

    private static QuotaConfig QuotaConfigOf(string role, ResourceQuantities guarantee, ResourceQuantities limit) => new()
    {
        Role = role,
        Guarantees = guarantee.IsEmpty ? null : guarantee.Amounts.ToDictionary(a => a.Key, a => new QuotaValue { Value = a.Value.ToDouble() }),
        Limits = limit.IsEmpty ? null : limit.Amounts.ToDictionary(a => a.Key, a => new QuotaValue { Value = a.Value.ToDouble() }),
    };

    private static TimeInfo TimeOf(DateTimeOffset at) => new() { Nanoseconds = (at - DateTimeOffset.UnixEpoch).Ticks * 100 };
}
