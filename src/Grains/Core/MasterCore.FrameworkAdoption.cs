using Mesos.Orleans.Grains.Entities;

namespace Mesos.Orleans.Grains.Core;

/// <summary>After a master restart, agents and frameworks come back in any order. An agent that reregisters
/// first brings tasks of a framework the master does not hold yet; they are kept on the agent. When that
/// framework subscribes again they become its tasks once more, so that its acknowledgements, kills and
/// reconciliation reach them.</summary>
public sealed partial class MasterCore
{
    private static void AdoptAgentTasks(FrameworkEntity framework, IEnumerable<AgentEntity> agents)
    {
        foreach (var task in agents.SelectMany(a => a.Tasks.Values).Where(t => t.FrameworkId == framework.Id && !t.IsTerminal))
        {
            framework.Tasks.TryAdd(task.Id, task);
        }
    }
}
