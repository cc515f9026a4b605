using System.Text.Json;
using System.Text.Json.Nodes;
using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

// The legacy read side: /master/state (state.json) with the keys tools scrape, legacy naming included
// (slaves, slave_id, plain-string IDs, resource summaries).
public sealed partial class MasterCore
{
    private CoalescedRead<JsonObject>? _sharedState;

    public Task<JsonObject> GetStateAsync(IReadOnlyDictionary<string, string>? flags = null) => _loop.InvokeAsync(() => BuildState(flags));

    /// <summary>/master/state as its JSON body, one built and rendered for all the callers waiting for it at the
    /// same time (tools poll it, and a large state is the master's costliest read).</summary>
    public Task<byte[]> GetStateJsonAsync() =>
        LazyInitializer.EnsureInitialized(
            ref _sharedState,
            () => new CoalescedRead<JsonObject>(_loop, () => BuildState(_options.ToFlags()), state => JsonSerializer.SerializeToUtf8Bytes(state, JsonSerializerOptions.Web)))
        .ReadAsync();

    private JsonObject BuildState(IReadOnlyDictionary<string, string>? flags)
    {
        var flagsJson = new JsonObject();
        foreach (var (name, value) in flags ?? new Dictionary<string, string>())
        {
            flagsJson[name] = value;
        }

        return new JsonObject
        {
            ["version"] = _options.Version,
            ["build_date"] = string.Empty,
            ["build_time"] = 0,
            ["build_user"] = "mesos-orleans",
            ["start_time"] = Seconds(StartTime),
            ["elected_time"] = Seconds(StartTime),
            ["id"] = MasterId,
            ["pid"] = Info.Pid,
            ["hostname"] = _options.Hostname,
            ["capabilities"] = new JsonArray("AGENT_UPDATE", "AGENT_DRAINING", "QUOTA_V2"),
            ["activated_slaves"] = _agents.Values.Count(a => a.Connected && !a.Deactivated),
            ["deactivated_slaves"] = _agents.Values.Count(a => !a.Connected || a.Deactivated),
            ["unreachable_slaves"] = _agents.Values.Count(a => !a.Connected && a.Tasks.Values.Any(t => t.State == TaskState.TASK_UNREACHABLE)),
            ["leader"] = Info.Pid,
            ["leader_info"] = JsonNode.Parse(MesosJson.Serialize(Info)),
            ["flags"] = flagsJson,
            ["slaves"] = new JsonArray([.. _agents.Values.Select(AgentJson)]),
            ["recovered_slaves"] = new JsonArray([.. _recoveredAgents.Values.Select(a => JsonNode.Parse(MesosJson.Serialize(a)))]),
            ["frameworks"] = new JsonArray([.. _frameworks.Values.Select(FrameworkJson)]),
            ["completed_frameworks"] = new JsonArray([.. _completedFrameworks.Select(FrameworkJson)]),
            ["orphan_tasks"] = new JsonArray(),
            ["unregistered_frameworks"] = new JsonArray(),
        };
    }

    private JsonObject AgentJson(AgentEntity agent)
    {
        var attributes = new JsonObject();
        foreach (var attribute in agent.Info.Attributes ?? [])
        {
            attributes[attribute.Name ?? string.Empty] = attribute.Scalar is { } s ? s.Value : attribute.Text?.Value;
        }

        var reserved = new JsonObject();
        foreach (var (role, bag) in agent.Total.Reserved().Entries.GroupBy(e => e.Key.ReservationRole).Select(g => (g.Key, ResourceBag.Of(g))))
        {
            reserved[role] = Summary(bag);
        }

        return new JsonObject
        {
            ["id"] = agent.Id.Value,
            ["hostname"] = agent.Info.Hostname,
            ["port"] = agent.Info.Port ?? 5051,
            ["attributes"] = attributes,
            ["pid"] = $"slave(1)@{agent.Url.Address?.Ip}:{agent.Url.Address?.Port}",
            ["registered_time"] = Seconds(agent.RegisteredTime),
            ["reregistered_time"] = agent.ReregisteredTime is { } re ? Seconds(re) : null,
            ["resources"] = Summary(agent.Total),
            ["used_resources"] = Summary(agent.Used),
            ["offered_resources"] = Summary(agent.Offered),
            ["unreserved_resources"] = Summary(agent.Total.Unreserved()),
            ["reserved_resources"] = reserved,
            ["active"] = agent.Connected && !agent.Deactivated,
            ["deactivated"] = agent.Deactivated,
            ["version"] = _options.Version,
            ["capabilities"] = new JsonArray("MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT", "AGENT_DRAINING"),
            ["drain_info"] = agent.Drain is { } drain ? JsonNode.Parse(MesosJson.Serialize(drain)) : null,
            ["utilization"] = JsonNode.Parse(MesosJson.Serialize(AgentUtilizationOf(agent))),
        };
    }

    private JsonObject FrameworkJson(FrameworkEntity framework)
    {
        var used = framework.Tasks.Values.Where(t => !t.IsTerminal).Aggregate(ResourceBag.Empty, (sum, t) => sum.Add(t.Resources));
        var offered = framework.Offers.Values.Aggregate(ResourceBag.Empty, (sum, o) => sum.Add(o.Resources));
        var json = new JsonObject
        {
            ["id"] = framework.Id.Value,
            ["name"] = framework.Info.Name,
            ["user"] = framework.Info.User,
            ["hostname"] = framework.Info.Hostname ?? string.Empty,
            ["webui_url"] = framework.Info.WebuiUrl ?? string.Empty,
            ["principal"] = framework.Info.Principal,
            ["failover_timeout"] = framework.Info.FailoverTimeout ?? 0,
            ["checkpoint"] = framework.Info.Checkpoint ?? false,
            ["capabilities"] = new JsonArray([.. (framework.Info.Capabilities ?? []).Where(c => c.Type is not null).Select(c => JsonValue.Create(c.Type.ToString()))]),
            ["active"] = framework.Connected,
            ["connected"] = framework.Connected,
            ["recovered"] = false,
            ["registered_time"] = Seconds(framework.RegisteredTime),
            ["unregistered_time"] = framework.UnregisteredTime is { } un ? Seconds(un) : 0,
            ["used_resources"] = Summary(used),
            ["offered_resources"] = Summary(offered),
            ["resources"] = Summary(used.Add(offered)),
            ["tasks"] = new JsonArray([.. framework.Tasks.Values.Where(t => t.State != TaskState.TASK_UNREACHABLE).Select(TaskJson)]),
            ["unreachable_tasks"] = new JsonArray([.. framework.Tasks.Values.Where(t => t.State == TaskState.TASK_UNREACHABLE).Select(TaskJson)]),
            ["completed_tasks"] = new JsonArray([.. framework.CompletedTasks.Select(TaskJson)]),
            ["offers"] = new JsonArray([.. framework.Offers.Values.Select(o => new JsonObject
            {
                ["id"] = o.Id.Value,
                ["framework_id"] = o.FrameworkId.Value,
                ["slave_id"] = o.AgentId.Value,
                ["allocation_info"] = new JsonObject { ["role"] = o.Role },
                ["resources"] = Summary(o.Resources),
            })]),
            ["executors"] = new JsonArray(),
        };
        if (framework.MultiRole)
        {
            json["roles"] = new JsonArray([.. framework.Roles.Select(r => JsonValue.Create(r))]);
        }
        else
        {
            json["role"] = framework.Roles[0];
        }

        return json;
    }

    private JsonObject TaskJson(TaskEntity task)
    {
        var agentUrl = _agents.TryGetValue(task.AgentId, out var agent) ? agent.Url : null;
        return new JsonObject
        {
            ["id"] = task.Id.Value,
            ["name"] = task.Info.Name,
            ["framework_id"] = task.FrameworkId.Value,
            ["executor_id"] = string.Empty,
            ["slave_id"] = task.AgentId.Value,
            ["state"] = task.State.ToString(),
            ["role"] = task.Role,
            ["resources"] = Summary(task.Resources),
            ["statuses"] = new JsonArray([.. task.Statuses.Select(s => new JsonObject
            {
                ["state"] = s.State?.ToString(),
                ["timestamp"] = s.Timestamp,
                ["healthy"] = s.Healthy,
            })]),
            ["labels"] = task.Info.Labels is { } labels ? JsonNode.Parse(MesosJson.Serialize(labels))?["labels"] : null,
            ["agent_url"] = agentUrl?.Address is { } a ? $"http://{a.Ip}:{a.Port}" : null,
            ["sandbox"] = task.Sandbox,
            ["statistics"] = StatisticsOf(task) is { } statistics ? JsonNode.Parse(MesosJson.Serialize(statistics)) : null,
            ["stdout_url"] = agentUrl?.Address is { } s && task.Sandbox is { } sandbox
                ? $"http://{s.Ip}:{s.Port}/files/read?path={Uri.EscapeDataString(sandbox + "/stdout")}&offset=0"
                : null,
        };
    }

    /// <summary>A resources summary as state.json writes it: cpus, gpus, mem and disk always present; other
    /// scalars as numbers; ranges as "[31000-31099, 31200-32000]"; sets as "{a, b}".</summary>
    public static JsonObject Summary(ResourceBag resources)
    {
        var map = new JsonObject { ["cpus"] = 0.0, ["gpus"] = 0.0, ["mem"] = 0.0, ["disk"] = 0.0 };
        foreach (var name in resources.Names)
        {
            var ranges = resources.Ranges(name);
            var set = resources.SetOf(name);
            map[name] = !ranges.IsEmpty ? ranges.ToString()
                : !set.IsEmpty ? "{" + string.Join(", ", set) + "}"
                : resources.ScalarOf(name).ToDouble();
        }

        return map;
    }

    private static double Seconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;
}
