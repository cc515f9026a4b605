using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Grains.Usage;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
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

    /// <summary>Why a report that the general reader took cannot be a usage report.</summary>
    private static readonly string InvalidFigures = $"Expecting usage figures to be finite and not negative, and each task's statistics to be at most {UsageReport.MaxStatisticsBytes} bytes";

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
    public Task<CallResult> ReportUsageAsync(AgentCall call, string? streamId, long bytes)
    {
        if (UsageReport.From(call) is { } report)
        {
            return ReportUsageAsync(report, streamId, bytes);
        }

        ReleaseUsageReport(bytes);
        Interlocked.Increment(ref _usageReportsRejected);
        return Task.FromResult(CallResult.BadRequest(InvalidFigures));
    }

    /// <summary>An admitted report given as its USAGE call's JSON (one POST, or a report another silo passed
    /// on), read straight into a report as a stream's record is: no call object is built, and a flood of large
    /// reports costs a parse each, not a parse, a render and a second parse. Refused with the message the full
    /// reader would give when it does not read.</summary>
    public Task<CallResult> ReportUsageJsonAsync(ReadOnlySequence<byte> json, string? streamId, long admittedBytes)
    {
        var report = new UsageReport();
        if (UsageReportReader.TryLoad(report, json))
        {
            return ReportUsageAsync(report, streamId, admittedBytes);
        }

        ReleaseUsageReport(admittedBytes);
        Interlocked.Increment(ref _usageReportsRejected);
        return Task.FromResult(UsageCallError(json));
    }

    /// <summary>Why the JSON of a call is not a USAGE report that may be applied (bad input only).</summary>
    private static CallResult UsageCallError(ReadOnlySequence<byte> json)
    {
        try
        {
            var call = MesosJson.Deserialize<AgentCall>(json.IsSingleSegment ? json.FirstSpan : json.ToArray());
            if (call is null)
            {
                return CallResult.BadRequest("Failed to parse body into JSON: the body is null");
            }

            var missing = RequiredFields.FindMissing(call);
            if (missing.Count > 0)
            {
                return CallResult.BadRequest($"Failed to convert JSON into Call protobuf: Missing required fields: {string.Join(", ", missing)}");
            }

            return call.Type == AgentCallType.USAGE ? CallResult.BadRequest(InvalidFigures) : CallResult.BadRequest("Expecting 'type' to be USAGE");
        }
        catch (JsonException e)
        {
            return CallResult.BadRequest($"Failed to convert JSON into Call protobuf: {e.Message}");
        }
    }

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
            var result = ApplyUsage(pending.Report, pending.StreamId, pending.Stream);
            ReleaseUsageReport(pending.Bytes);
            pending.Completion?.SetResult(result);
            if (pending.Stream is { } stream && result.StatusCode != 202)
            {
                stream.Refusal = result;
                stream.Recycle(pending.Report);
            }
        }
    }

    /// <summary>The HTTP layer refused a report before the master saw it (too large).</summary>
    public void CountRejectedUsageReport() => Interlocked.Increment(ref _usageReportsRejected);

    /// <summary>Counts reports refused before they reached this master, at a silo relaying them: rejected
    /// (over the bound, unparsable) or dropped (the relay's budget was spent).</summary>
    public void CountRefusedUsageReports(int rejected, int dropped)
    {
        Interlocked.Add(ref _usageReportsRejected, rejected);
        Interlocked.Add(ref _usageReportsDropped, dropped);
    }

    public Task<GetUtilization> GetUtilizationAsync() => _loop.InvokeAsync(BuildUtilization);

    private CallResult ApplyUsage(UsageReport report, string? streamId, UsageStreamState? stream)
    {
        var agent = ReportingAgent(report, stream);
        var error = !report.AgentId.IsPresent ? CallResult.BadRequest("Expecting 'agent_id' to be present")
            : agent is null ? CallResult.BadRequest("Agent cannot be found")
            : !agent.Connected ? CallResult.Forbidden("Agent is not subscribed")
            : streamId != agent.Stream!.StreamId ? CallResult.BadRequest("The 'Mesos-Stream-Id' header is missing or does not match the agent's stream")
            : !report.HasUsage ? CallResult.BadRequest("Expecting 'usage' to be present")
            : null;
        if (error is not null)
        {
            Interlocked.Increment(ref _usageReportsRejected);
            return error;
        }

        var previous = agent!.Usage;
        MatchTasks(agent, report, previous);
        if (report.Length > report.UsefulBytes())
        {
            // More than the agent's tasks' statistics (entries about tasks the master does not know there, say):
            // what the master keeps per agent stays bounded by the tasks it runs.
            report.Compact();
        }

        report.Timestamp ??= Now();
        agent.Usage = report;
        if (previous is not null)
        {
            stream?.Recycle(previous);
        }

        Interlocked.Increment(ref _usageReportsAccepted);
        return CallResult.Accepted;
    }

    /// <summary>The agent a report is from. A stream's reports are all from one agent: its next report's ID
    /// is compared in place with that agent's, and only a stream's first report (or a report of another
    /// agent) has its ID decoded and looked up.</summary>
    private AgentEntity? ReportingAgent(UsageReport report, UsageStreamState? stream)
    {
        if (!report.AgentId.IsPresent)
        {
            return null;
        }

        if (stream?.Agent is { } known && report.TextEquals(report.AgentId, known.Id.Value)
            && _agents.TryGetValue(known.Id, out var current) && ReferenceEquals(current, known))
        {
            return known;
        }

        var agent = _agents.GetValueOrDefault(new AgentId(report.TextOf(report.AgentId)));
        if (stream is not null)
        {
            stream.Agent = agent;
        }

        return agent;
    }

    /// <summary>Matches each entry of the report to the agent's live task it is about, at most one entry per
    /// task: whatever an agent claims, only its tasks' usage counts. An agent reports its tasks in the same
    /// order each time, so each entry is first compared in place with the task at its place in the previous
    /// report; only when that fails are the report's IDs decoded and looked up.</summary>
    private static void MatchTasks(AgentEntity agent, UsageReport report, UsageReport? previous)
    {
        if (previous is not null && MatchAsBefore(report, previous))
        {
            return;
        }

        HashSet<TaskEntity>? matched = null;
        foreach (ref var entry in report.Tasks)
        {
            entry.Task = null;
            if ((matched?.Count ?? 0) == agent.Tasks.Count || !entry.FrameworkId.IsPresent || !entry.TaskId.IsPresent)
            {
                continue;
            }

            var key = (new FrameworkId(report.TextOf(entry.FrameworkId)), new TaskId(report.TextOf(entry.TaskId)));
            if (agent.Tasks.TryGetValue(key, out var task) && !task.IsTerminal && (matched ??= []).Add(task))
            {
                entry.Task = task;
            }
        }
    }

    /// <summary>Whether every entry is about the live task the previous report's entry at its place was
    /// about (and then each is matched to it). The previous report matched each task at most once, so this
    /// one does too; it was matched against this agent's own tasks, which stay in its table until they are
    /// terminal, so a task that is not terminal is still the agent's.</summary>
    private static bool MatchAsBefore(UsageReport report, UsageReport previous)
    {
        var before = previous.Tasks;
        var now = report.Tasks;
        if (now.Length > before.Length)
        {
            return false;
        }

        for (var i = 0; i < now.Length; i++)
        {
            if (before[i].Task is not { IsTerminal: false } task
                || !report.TextEquals(now[i].TaskId, task.Id.Value)
                || !report.TextEquals(now[i].FrameworkId, task.FrameworkId.Value))
            {
                return false;
            }
        }

        for (var i = 0; i < now.Length; i++)
        {
            now[i].Task = before[i].Task;
        }

        return true;
    }

    /// <summary>Whether <paramref name="task"/> is still one of the agent's tasks and running.</summary>
    private static bool IsLiveTaskOf(AgentEntity agent, TaskEntity task) =>
        !task.IsTerminal && agent.Tasks.TryGetValue((task.FrameworkId, task.Id), out var live) && ReferenceEquals(live, task);

    /// <summary>The latest statistics of a live task, when its agent reported them.</summary>
    private ResourceStatistics? StatisticsOf(TaskEntity task)
    {
        if (task.IsTerminal || !_agents.TryGetValue(task.AgentId, out var agent) || agent.Usage is not { } report)
        {
            return null;
        }

        var tasks = report.Tasks;
        for (var i = 0; i < tasks.Length; i++)
        {
            if (ReferenceEquals(tasks[i].Task, task))
            {
                return report.StatisticsAt(i);
            }
        }

        return null;
    }

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
    private (UtilizationSum Cluster, List<(AgentEntity Agent, UtilizationSum Sum, UsageReport? Record)> Agents, SortedDictionary<string, UtilizationSum> Roles) Utilization()
    {
        var cluster = new UtilizationSum();
        var agents = new List<(AgentEntity, UtilizationSum, UsageReport?)>(_agents.Count);
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
    private UsageReport? LatestUsageOf(AgentEntity agent) =>
        agent.Connected ? agent.Usage : null;

    /// <summary>One agent's allocated, used and total; adds its tasks to their roles' sums when given (a task
    /// that reports usage is live, so its role's sum was made by its allocation).</summary>
    private static UtilizationSum AgentSum(AgentEntity agent, UsageReport? record, SortedDictionary<string, UtilizationSum>? roles)
    {
        var sum = new UtilizationSum
        {
            CpusTotal = agent.Total.ScalarOf("cpus").ToDouble(),
            MemTotal = agent.Total.ScalarOf("mem").ToDouble(),
            CpusAllocated = agent.Used.ScalarOf("cpus").ToDouble(),
            MemAllocated = agent.Used.ScalarOf("mem").ToDouble(),
        };
        if (roles is not null)
        {
            foreach (var task in agent.Tasks.Values.Where(t => !t.IsTerminal))
            {
                if (!roles.TryGetValue(task.Role, out var role))
                {
                    roles[task.Role] = role = new UtilizationSum();
                }

                role.CpusAllocated += task.Resources.ScalarOf("cpus").ToDouble();
                role.MemAllocated += task.Resources.ScalarOf("mem").ToDouble();
            }
        }

        if (record is null)
        {
            return sum;
        }

        foreach (ref var entry in record.Tasks)
        {
            if (entry.Task is not { } task || !IsLiveTaskOf(agent, task))
            {
                continue;
            }

            var cpus = entry.CpusUsed ?? 0;
            var mem = entry.MemUsedMegabytes;
            sum.CpusUsed += cpus;
            sum.MemUsed += mem;
            if (roles?.GetValueOrDefault(task.Role) is { } role)
            {
                role.CpusUsed += cpus;
                role.MemUsed += mem;
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
