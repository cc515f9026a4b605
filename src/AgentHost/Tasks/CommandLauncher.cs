using System.Globalization;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>The environment Mesos gives a command task; <see cref="ExecutorLauncher"/> starts the task with it.</summary>
public static class CommandLauncher
{
    private static IEnumerable<ulong> Ports(ValueRangeSet ranges)
    {
        foreach (var range in ranges.Ranges)
        {
            for (var port = range.Begin; port <= range.End && port != ulong.MaxValue; port++)
            {
                yield return port;
            }
        }
    }

    /// <summary>The variables of a task; <paramref name="sandboxInside"/> is where a container task sees its
    /// sandbox (MESOS_SANDBOX), while MESOS_DIRECTORY stays the agent's path, as in Mesos.</summary>
    public static IEnumerable<(string Name, string Value)> Environment(RunningTask task, AgentId agentId, string hostname, string? sandboxInside = null)
    {
        yield return ("MESOS_TASK_ID", task.Id.Value);
        yield return ("MESOS_FRAMEWORK_ID", task.FrameworkId.Value);
        yield return ("MESOS_EXECUTOR_ID", task.ExecutorId.Value);
        yield return ("MESOS_AGENT_ID", agentId.Value);
        yield return ("MESOS_SLAVE_ID", agentId.Value);
        yield return ("MESOS_SANDBOX", sandboxInside ?? task.Sandbox);
        yield return ("MESOS_DIRECTORY", task.Sandbox);
        yield return ("HOST", hostname);

        var ports = Ports(ResourceBag.FromWire(task.Info.Resources).Ranges("ports")).Take(1000).ToList();
        for (var i = 0; i < ports.Count; i++)
        {
            yield return ($"PORT{i}", ports[i].ToString(CultureInfo.InvariantCulture));
        }

        if (ports.Count > 0)
        {
            yield return ("PORT", ports[0].ToString(CultureInfo.InvariantCulture));
        }

        foreach (var variable in task.Info.Command?.Environment?.Variables ?? [])
        {
            if (variable.Name is { Length: > 0 } name)
            {
                yield return (name, variable.Value ?? string.Empty);
            }
        }
    }
}
