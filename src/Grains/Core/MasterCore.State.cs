using System.Text.Json.Nodes;
using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Resources;

namespace Mesos.Orleans.Grains.Core;

// The read side: /master/state (state.json) as tools scrape it.
public sealed partial class MasterCore
{
    public Task<JsonObject> GetStateAsync() => _loop.InvokeAsync(BuildState);

    private JsonObject BuildState()
    {
        var frameworks = new JsonArray();
        foreach (var framework in _frameworks.Values)
        {
            frameworks.Add(FrameworkJson(framework));
        }

        var agents = new JsonArray();
        foreach (var agent in _agents.Values)
        {
            agents.Add(new JsonObject
            {
                ["id"] = agent.Id.Value,
                ["hostname"] = agent.Info.Hostname,
                ["port"] = agent.Info.Port ?? 5051,
                ["pid"] = $"slave(1)@{agent.Url.Address?.Ip}:{agent.Url.Address?.Port}",
                ["active"] = agent.Connected,
                ["registered_time"] = agent.RegisteredTime.ToUnixTimeMilliseconds() / 1000.0,
                ["resources"] = ResourceMap(agent.Total),
                ["used_resources"] = ResourceMap(agent.Used),
                ["offered_resources"] = ResourceMap(agent.Offered),
                ["unreserved_resources"] = ResourceMap(agent.Total.Unreserved()),
            });
        }

        return new JsonObject
        {
            ["version"] = _options.Version,
            ["id"] = MasterId,
            ["pid"] = Info.Pid,
            ["hostname"] = _options.Hostname,
            ["start_time"] = StartTime.ToUnixTimeMilliseconds() / 1000.0,
            ["elected_time"] = StartTime.ToUnixTimeMilliseconds() / 1000.0,
            ["leader"] = Info.Pid,
            ["leader_info"] = JsonNode.Parse(MesosJson.Serialize(Info)),
            ["activated_slaves"] = _agents.Values.Count(a => a.Connected),
            ["deactivated_slaves"] = _agents.Values.Count(a => !a.Connected),
            ["slaves"] = agents,
            ["frameworks"] = frameworks,
            ["completed_frameworks"] = new JsonArray(),
        };
    }

    private JsonObject FrameworkJson(FrameworkEntity framework)
    {
        var tasks = new JsonArray();
        foreach (var task in framework.Tasks.Values)
        {
            tasks.Add(TaskJson(task));
        }

        var completed = new JsonArray();
        foreach (var task in framework.CompletedTasks)
        {
            completed.Add(TaskJson(task));
        }

        var offers = new JsonArray();
        foreach (var offer in framework.Offers.Values)
        {
            offers.Add(new JsonObject
            {
                ["id"] = offer.Id.Value,
                ["framework_id"] = offer.FrameworkId.Value,
                ["slave_id"] = offer.AgentId.Value,
                ["resources"] = ResourceMap(offer.Resources),
            });
        }

        return new JsonObject
        {
            ["id"] = framework.Id.Value,
            ["name"] = framework.Info.Name,
            ["user"] = framework.Info.User,
            ["role"] = framework.Roles is [var role, ..] ? role : null,
            ["roles"] = new JsonArray([.. framework.Roles.Select(r => JsonValue.Create(r))]),
            ["principal"] = framework.Info.Principal,
            ["failover_timeout"] = framework.Info.FailoverTimeout ?? 0,
            ["active"] = framework.Connected,
            ["connected"] = framework.Connected,
            ["registered_time"] = framework.RegisteredTime.ToUnixTimeMilliseconds() / 1000.0,
            ["tasks"] = tasks,
            ["completed_tasks"] = completed,
            ["offers"] = offers,
        };
    }

    private JsonObject TaskJson(TaskEntity task)
    {
        var statuses = new JsonArray();
        foreach (var status in task.Statuses)
        {
            statuses.Add(new JsonObject
            {
                ["state"] = status.State?.ToString(),
                ["timestamp"] = status.Timestamp,
            });
        }

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
            ["resources"] = ResourceMap(task.Resources),
            ["statuses"] = statuses,
            ["agent_url"] = agentUrl?.Address is { } a ? $"http://{a.Ip}:{a.Port}" : null,
        };
    }

    /// <summary>state.json writes resources as a map of totals: {"cpus": 1.0, "mem": 128.0, "ports": "[31000-32000]"}.</summary>
    private static JsonObject ResourceMap(ResourceBag resources)
    {
        var map = new JsonObject();
        foreach (var (name, quantity) in resources.Quantities)
        {
            map[name] = resources.Ranges(name) is { IsEmpty: false } ranges ? ranges.ToString() : quantity.ToDouble();
        }

        return map;
    }
}
