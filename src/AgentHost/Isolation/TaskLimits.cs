namespace Mesos.Orleans.AgentHost.Isolation;

/// <summary>What a task may use, from its resources (cpus, mem) and the agent's pids limit.</summary>
public sealed record TaskLimits(double? Cpus, long? MemoryBytes, long? Pids)
{
    /// <summary>The CFS period Mesos uses; the quota is cpus × period.</summary>
    public const long CfsPeriodMicroseconds = 100_000;
}
