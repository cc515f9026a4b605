using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>Sandbox paths laid out as Mesos does, so tools that know Mesos find them:
/// work_dir/slaves/AGENT/frameworks/FRAMEWORK/executors/EXECUTOR/runs/CONTAINER.</summary>
public static class Sandbox
{
    public static string PathFor(string workDir, AgentId agent, FrameworkId framework, ExecutorId executor, string containerId) =>
        Path.Combine(workDir, "slaves", agent.Value, "frameworks", framework.Value, "executors", executor.Value, "runs", containerId);
}
