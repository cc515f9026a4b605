using System.Globalization;
using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Grains.Usage;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

// Usage: agents' periodic USAGE reports, kept in memory (never in the registry), latest per agent, and
// what operators read from them (GET_UTILIZATION, task statistics, metrics). Usage is best effort and must
// never hold up the control path: a report that finds too many others waiting for the loop is dropped.
public sealed partial class MasterCore
{
    /// <summary>Usage reports allowed in flight at once (being read, or waiting for the loop); beyond this
    /// they are dropped and counted, so a busy loop never builds an unbounded queue of them.</summary>
    public const int MaxUsageReportsInFlight = 4096;

    /// <summary>The bodies of the usage reports in flight may add up to this much; a flood of large reports
    /// is dropped before it is read, so it costs the master at most this (and what parsing it makes).</summary>
    public const long MaxUsageBytesInFlight = 16 * 1024 * 1024;

    /// <summary>How often queued usage reports are applied.</summary>
    public static readonly TimeSpan UsageFlushInterval = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<AgentId, AgentUsageRecord> _usage = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingUsage> _pendingUsage = new();
    private ITimer? _usageFlushTimer;
    private int _usageFlushPosted;
    private int _usageReportsInFlight;
    private long _usageBytesInFlight;
    private long _usageReportsAccepted;
    private long _usageReportsDropped;
    private long _usageReportsRejected;

    /// <summary>Reports dropped because the master had its fill of them in flight (master/usage/reports_dropped).</summary>
    public long UsageReportsDropped => Interlocked.Read(ref _usageReportsDropped);

    /// <summary>Admits one usage report of <paramref name="bytes"/> to be read and applied, or counts it
    /// dropped when too many reports or bytes are already in flight. The HTTP layer asks before it reads the
    /// body. An admitted report must be passed to <see cref="ReportUsageAsync(UsageReport, string?, long)"/> or released with
    /// <see cref="ReleaseUsageReport"/>, with the same size.</summary>
    public bool TryAdmitUsageReport(long bytes)
    {
        var count = Interlocked.Increment(ref _usageReportsInFlight);
        var total = Interlocked.Add(ref _usageBytesInFlight, bytes);
        if (count <= MaxUsageReportsInFlight && total <= MaxUsageBytesInFlight)
        {
            return true;
        }

        ReleaseUsageReport(bytes);
        Interlocked.Increment(ref _usageReportsDropped);
        return false;
    }

    /// <summary>An admitted report that will not be applied (it could not be read).</summary>
    public void ReleaseUsageReport(long bytes)
    {
        Interlocked.Decrement(ref _usageReportsInFlight);
        Interlocked.Add(ref _usageBytesInFlight, -bytes);
    }

    /// <summary>Records an admitted USAGE report as the agent's latest at the next flush, and releases its
    /// admission; the answer tells whether the master took it.</summary>
    public Task<CallResult> ReportUsageAsync(AgentCall call, string? streamId, long bytes) =>
        ReportUsageAsync(UsageReport.From(call), streamId, bytes);

    /// <inheritdoc cref="ReportUsageAsync(AgentCall, string?, long)"/>
    public Task<CallResult> ReportUsageAsync(UsageReport report, string? streamId, long bytes)
    {
        var pending = new PendingUsage(report, streamId, bytes, new TaskCompletionSource<CallResult>(TaskCreationOptions.RunContinuationsAsynchronously), null);
        QueueUsage(pending);
        return pending.Completion!.Task;
    }

    /// <summary>Queues an admitted report from a usage stream without waiting for it: a refusal (the agent
    /// resubscribed, say) is left on <paramref name="stream"/> for the stream to end with.</summary>
    public void QueueUsageReport(UsageReport report, string? streamId, long bytes, UsageStreamState stream) =>
        QueueUsage(new PendingUsage(report, streamId, bytes, null, stream));

    /// <summary>Reports wait in a queue (bounded by admission) and are applied together, one loop turn per
    /// <see cref="UsageFlushInterval"/>: thousands of agents reporting cost the loop ten turns a second, not
    /// thousands of turns and the thread wake-ups each brings.</summary>
    private void QueueUsage(PendingUsage pending)
    {
        _pendingUsage.Enqueue(pending);
        if (_usageFlushTimer is null)
        {
            var timer = _time.CreateTimer(_ => PostUsageFlush(), null, UsageFlushInterval, UsageFlushInterval);
            if (Interlocked.CompareExchange(ref _usageFlushTimer, timer, null) is not null)
            {
                timer.Dispose();
            }
        }
    }

    private void PostUsageFlush()
    {
        if (!_pendingUsage.IsEmpty && Interlocked.Exchange(ref _usageFlushPosted, 1) == 0)
        {
            _loop.Post(FlushUsage);
        }
    }

    private void FlushUsage()
    {
        Volatile.Write(ref _usageFlushPosted, 0);
        while (_pendingUsage.TryDequeue(out var pending))
        {
            var result = ApplyUsage(pending.Report, pending.StreamId);
            ReleaseUsageReport(pending.Bytes);
            pending.Completion?.SetResult(result);
            if (pending.Stream is { } stream && result.StatusCode != 202)
            {
                stream.Refusal = result;
            }
        }
    }

    /// <summary>The HTTP layer refused a report before the master saw it (too large).</summary>
    public void CountRejectedUsageReport() => Interlocked.Increment(ref _usageReportsRejected);

    public Task<GetUtilization> GetUtilizationAsync() => _loop.InvokeAsync(BuildUtilization);

    private CallResult ApplyUsage(UsageReport call, string? streamId)
    {
        var error = call.AgentId is null ? CallResult.BadRequest("Expecting 'agent_id' to be present")
            : !_agents.TryGetValue(call.AgentId, out var agent) ? CallResult.BadRequest("Agent cannot be found")
            : !agent.Connected ? CallResult.Forbidden("Agent is not subscribed")
            : streamId != agent.Stream!.StreamId ? CallResult.BadRequest("The 'Mesos-Stream-Id' header is missing or does not match the agent's stream")
            : !call.HasUsage ? CallResult.BadRequest("Expecting 'usage' to be present")
            : null;
        if (error is not null)
        {
            Interlocked.Increment(ref _usageReportsRejected);
            return error;
        }

        agent = _agents[call.AgentId!];
        _usage[agent.Id] = new AgentUsageRecord(call.Timestamp ?? Now(), call.Host, KnownTaskUsage(agent, call.Tasks));
        Interlocked.Increment(ref _usageReportsAccepted);
        return CallResult.Accepted;
    }

    /// <summary>Only entries for the agent's live tasks are kept, at most one each, with the master's own
    /// IDs: whatever an agent claims, what the master holds for it is bounded by the tasks it runs.</summary>
    private static Dictionary<(FrameworkId, TaskId), ReportedTaskUsage> KnownTaskUsage(AgentEntity agent, List<ReportedTaskUsage> reported)
    {
        var known = new Dictionary<(FrameworkId, TaskId), ReportedTaskUsage>();
        foreach (var entry in reported)
        {
            if (known.Count == agent.Tasks.Count)
            {
                break;
            }

            if (entry is { FrameworkId: { } framework, TaskId: { } taskId }
                && agent.Tasks.TryGetValue((framework, taskId), out var task) && !task.IsTerminal)
            {
                // The master's own IDs replace the agent's copies (equal values, shared instances).
                entry.FrameworkId = task.FrameworkId;
                entry.ExecutorId = task.ExecutorId;
                entry.TaskId = task.Id;
                known[(task.FrameworkId, task.Id)] = entry;
            }
        }

        return known;
    }

    /// <summary>The latest statistics of a live task, when its agent reported them.</summary>
    private ResourceStatistics? StatisticsOf(TaskEntity task) =>
        !task.IsTerminal && _usage.TryGetValue(task.AgentId, out var record) && record.Tasks.TryGetValue((task.FrameworkId, task.Id), out var usage)
            ? usage.ParseStatistics()
            : null;

    private GetUtilization BuildUtilization()
    {
        var (cluster, agents, roles) = Utilization();
        return new GetUtilization
        {
            Cluster = cluster.ToWire(),
            Agents = [.. agents.Select(a => new AgentUtilization
            {
                AgentId = a.Agent.Id,
                Hostname = a.Agent.Info.Hostname,
                Resources = a.Sum.ToWire(),
                Host = a.Record?.Host is { } host ? HostEntry(host, a.Sum) : null,
                Timestamp = a.Record?.Timestamp,
            })],
            Roles = [.. roles.Select(r => new RoleUtilization { Role = r.Key, Resources = r.Value.ToWire() })],
        };
    }

    /// <summary>Allocated, used and total per agent, per role (total: the cluster's) and for the cluster.
    /// A disconnected agent's last report is stale, so it counts as using nothing.</summary>
    private (UtilizationSum Cluster, List<(AgentEntity Agent, UtilizationSum Sum, AgentUsageRecord? Record)> Agents, SortedDictionary<string, UtilizationSum> Roles) Utilization()
    {
        foreach (var gone in _usage.Keys.Where(id => !_agents.ContainsKey(id)).ToList())
        {
            _usage.Remove(gone);
        }

        var cluster = new UtilizationSum();
        var agents = new List<(AgentEntity, UtilizationSum, AgentUsageRecord?)>(_agents.Count);
        var roles = new SortedDictionary<string, UtilizationSum>(StringComparer.Ordinal);
        foreach (var agent in _agents.Values)
        {
            var record = LatestUsageOf(agent);
            var sum = AgentSum(agent, record, roles);
            cluster.Add(sum);
            agents.Add((agent, sum, record));
        }

        foreach (var role in roles.Values)
        {
            role.CpusTotal = cluster.CpusTotal;
            role.MemTotal = cluster.MemTotal;
        }

        return (cluster, agents, roles);
    }

    /// <summary>A connected agent's latest report; a disconnected agent's is stale and counts as nothing.</summary>
    private AgentUsageRecord? LatestUsageOf(AgentEntity agent) =>
        agent.Connected && _usage.TryGetValue(agent.Id, out var record) ? record : null;

    /// <summary>One agent's allocated, used and total; adds its tasks to their roles' sums when given.</summary>
    private static UtilizationSum AgentSum(AgentEntity agent, AgentUsageRecord? record, SortedDictionary<string, UtilizationSum>? roles)
    {
        var sum = new UtilizationSum
        {
            CpusTotal = agent.Total.ScalarOf("cpus").ToDouble(),
            MemTotal = agent.Total.ScalarOf("mem").ToDouble(),
            CpusAllocated = agent.Used.ScalarOf("cpus").ToDouble(),
            MemAllocated = agent.Used.ScalarOf("mem").ToDouble(),
        };
        foreach (var task in agent.Tasks.Values.Where(t => !t.IsTerminal))
        {
            UtilizationSum? role = null;
            if (roles is not null && !roles.TryGetValue(task.Role, out role))
            {
                roles[task.Role] = role = new UtilizationSum();
            }

            if (role is not null)
            {
                role.CpusAllocated += task.Resources.ScalarOf("cpus").ToDouble();
                role.MemAllocated += task.Resources.ScalarOf("mem").ToDouble();
            }

            if (record is not null && record.Tasks.TryGetValue((task.FrameworkId, task.Id), out var usage))
            {
                var cpus = usage.CpusUsed ?? 0;
                var mem = AgentUsageRecord.MemUsedMegabytes(usage);
                sum.CpusUsed += cpus;
                sum.MemUsed += mem;
                if (role is not null)
                {
                    role.CpusUsed += cpus;
                    role.MemUsed += mem;
                }
            }
        }

        return sum;
    }

    /// <summary>The agent's utilisation for GET_AGENTS and /master/state (extra fields Mesos clients ignore).</summary>
    private UtilizationEntry AgentUtilizationOf(AgentEntity agent) => AgentSum(agent, LatestUsageOf(agent), roles: null).ToWire();

    private static UtilizationEntry HostEntry(HostUsage host, UtilizationSum agent) => new UtilizationSum
    {
        CpusAllocated = agent.CpusAllocated,
        CpusUsed = host.CpusUsed ?? 0,
        CpusTotal = host.CpusTotal ?? 0,
        MemAllocated = agent.MemAllocated,
        MemUsed = (host.MemUsedBytes ?? 0) / (1024.0 * 1024.0),
        MemTotal = (host.MemTotalBytes ?? 0) / (1024.0 * 1024.0),
    }.ToWire();

    /// <summary>Usage under /metrics/snapshot: master/usage/… for the cluster and per role, and the
    /// report counters. Prometheus renders them as mesos_master_usage_* families.</summary>
    private void AddUsageMetrics(SortedDictionary<string, double> metrics)
    {
        var (cluster, agents, roles) = Utilization();
        metrics["master/usage/cpus_allocated"] = cluster.CpusAllocated;
        metrics["master/usage/cpus_used"] = cluster.CpusUsed;
        metrics["master/usage/cpus_total"] = cluster.CpusTotal;
        metrics["master/usage/mem_allocated"] = cluster.MemAllocated;
        metrics["master/usage/mem_used"] = cluster.MemUsed;
        metrics["master/usage/mem_total"] = cluster.MemTotal;
        metrics["master/usage/agents_reporting"] = agents.Count(a => a.Record is not null);
        metrics["master/usage/reports_accepted"] = Interlocked.Read(ref _usageReportsAccepted);
        metrics["master/usage/reports_dropped"] = Interlocked.Read(ref _usageReportsDropped);
        metrics["master/usage/reports_rejected"] = Interlocked.Read(ref _usageReportsRejected);
        foreach (var (role, sum) in roles)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"master/usage/roles/{role}/");
            metrics[prefix + "cpus_allocated"] = sum.CpusAllocated;
            metrics[prefix + "cpus_used"] = sum.CpusUsed;
            metrics[prefix + "mem_allocated"] = sum.MemAllocated;
            metrics[prefix + "mem_used"] = sum.MemUsed;
        }
    }
}
