using System.Text.Json.Nodes;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Silo.HighAvailability;

/// <summary>Read-only operator answers built from a standby's registry copy. The registry has no tasks
/// (agents report those to the leader), so a standby lists agents and frameworks as registered, none active.</summary>
public static class StandbyViews
{
    public static GetAgents Agents(RegistrySnapshot snapshot) => new()
    {
        Agents = [.. snapshot.Agents.Where(a => a.State != "gone").Select(a => new AgentEntry
        {
            AgentInfo = a.Info,
            Active = false,
            Deactivated = a.State is "deactivated" or "draining",
            TotalResources = a.Info.Resources,
            DrainInfo = a.State == "draining" ? new DrainInfo { State = DrainState.DRAINING, Config = a.Drain } : null,
        })],
        RecoveredAgents = [],
    };

    public static GetFrameworks Frameworks(RegistrySnapshot snapshot) => new()
    {
        Frameworks = [.. snapshot.Frameworks.Where(f => !f.Removed).Select(f => new FrameworkEntry { FrameworkInfo = f.Info })],
        CompletedFrameworks = [.. snapshot.Frameworks.Where(f => f.Removed).Select(f => new FrameworkEntry { FrameworkInfo = f.Info })],
    };

    public static GetWeights Weights(RegistrySnapshot snapshot) => new()
    {
        WeightInfos = [.. snapshot.Roles.Where(r => r.Weight is not null).Select(r => new WeightInfo { Role = r.Role, Weight = r.Weight })],
    };

    public static GetQuota Quota(RegistrySnapshot snapshot) => new()
    {
        Status = new QuotaStatus { Configs = [.. snapshot.Roles.Where(r => r.Quota is not null).Select(r => r.Quota!)] },
    };

    public static GetState State(RegistrySnapshot snapshot) => new()
    {
        GetAgents = Agents(snapshot),
        GetFrameworks = Frameworks(snapshot),
        GetTasks = new GetTasks(),
        GetExecutors = new GetExecutors(),
    };

    /// <summary>/master/state on a standby: who it is, who leads, the membership, and the registry copy.</summary>
    public static JsonObject LegacyState(HaContext ha, Grains.Core.MasterOptions options, RegistrySnapshot? snapshot, GetMasters masters)
    {
        var leader = ha.LeaderAddress;
        var state = new JsonObject
        {
            ["version"] = options.Version,
            ["id"] = ha.MasterId,
            ["pid"] = $"master@{options.Ip}:{options.Port}",
            ["hostname"] = options.Hostname,
            ["elected"] = false,
            ["activated_slaves"] = 0,
            ["deactivated_slaves"] = snapshot?.Agents.Count ?? 0,
            ["masters"] = JsonNode.Parse(MesosJson.Serialize(masters.Masters ?? [])),
            ["registry_copy_age_secs"] = snapshot is null ? null : ha.Warm.Age.TotalSeconds,
            ["slaves"] = new JsonArray([.. (snapshot?.Agents ?? []).Select(a => (JsonNode)new JsonObject
            {
                ["id"] = a.Id.Value,
                ["hostname"] = a.Info.Hostname,
                ["active"] = false,
                ["registry_state"] = a.State,
            })]),
            ["frameworks"] = new JsonArray([.. (snapshot?.Frameworks ?? []).Where(f => !f.Removed).Select(f => (JsonNode)new JsonObject
            {
                ["id"] = f.Id.Value,
                ["name"] = f.Info.Name,
                ["active"] = false,
            })]),
        };
        if (leader is not null)
        {
            state["leader"] = $"master@{leader}";
            var colon = leader.LastIndexOf(':');
            state["leader_info"] = new JsonObject
            {
                ["hostname"] = leader[..colon],
                ["port"] = int.TryParse(leader.AsSpan(colon + 1), out var port) ? port : 0,
            };
        }

        return state;
    }
}
