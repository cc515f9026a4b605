using Mesos.Orleans.AgentHost.Tasks;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Usage;

/// <summary>A task's latest sample and the CPUs it used since the sample before.</summary>
public sealed record TaskSample(RunningTask Task, ResourceStatistics Statistics, double? CpusUsed);
