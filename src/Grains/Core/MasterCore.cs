using System.Net;
using Mesos.Orleans.Grains.Allocation;
using Mesos.Orleans.Grains.Entities;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Grains.Streams;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.Grains.Core;

/// <summary>The master: frameworks, agents, tasks and offers, mutated only by turns on one
/// <see cref="EventLoop"/>. Public methods are the entry points the HTTP layer calls; each runs as a
/// single atomic turn. The partial files split it by concern.</summary>
public sealed partial class MasterCore : IAsyncDisposable
{
    private readonly MasterOptions _options;
    private readonly IRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<MasterCore> _logger;
    private readonly EventLoop _loop;
    private readonly Dictionary<FrameworkId, FrameworkEntity> _frameworks = [];
    private readonly HashSet<FrameworkId> _removedFrameworks = [];
    private readonly Dictionary<AgentId, AgentEntity> _agents = [];
    private readonly Dictionary<AgentId, AgentInfo> _recoveredAgents = [];
    private readonly Dictionary<AgentId, RegisteredAgent> _recoveredAgentStates = [];
    private readonly Dictionary<AgentId, AgentInfo> _unreachableAgents = [];
    private readonly HashSet<FrameworkId> _recoveredFrameworks = [];
    private readonly FailoverDeadlineQueue _failoverDeadlines;
    private ITimer? _reregisterTimer;
    private readonly Dictionary<OfferId, OfferEntity> _offers = [];
    private long _nextFrameworkNumber;
    private long _nextAgentNumber;
    private long _nextOfferNumber;

    private MasterCore(MasterOptions options, IRegistry registry, IFailoverDeadlines deadlines, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options;
        _registry = registry;
        _time = time;
        _logger = loggers.CreateLogger<MasterCore>();
        _loop = new EventLoop(loggers.CreateLogger<EventLoop>());
        _failoverDeadlines = new FailoverDeadlineQueue(deadlines, options.LeaderTerm ?? 0, time, _logger);
        MasterId = Guid.NewGuid().ToString();
        StartTime = time.GetUtcNow();
        Info = new MasterInfo
        {
            Id = MasterId,
            Ip = IpAsMesosInteger(options.Ip),
            Port = (uint)options.Port,
            Pid = $"master@{options.Ip}:{options.Port}",
            Hostname = options.Hostname,
            Version = options.Version,
            Address = new Address { Hostname = options.Hostname, Ip = options.Ip, Port = options.Port },
        };
        _allocator = new HierarchicalAllocator(new AllocatorOptions { MinRefusal = options.AllocationInterval }, time);
        _allocationTimer = time.CreateTimer(
            _ => RequestAllocation(), null, options.AllocationInterval, options.AllocationInterval);
    }

    public string MasterId { get; }

    public MasterInfo Info { get; }

    public DateTimeOffset StartTime { get; }

    public MasterOptions Options => _options;

    /// <summary>Turns waiting on the master's loop.</summary>
    public int EventQueueLength => _loop.QueueLength;

    /// <summary>Starts a master: recovers the registry, then begins allocating. Disconnected frameworks'
    /// failover deadlines are kept by <paramref name="deadlines"/>.</summary>
    public static async Task<MasterCore> StartAsync(
        MasterOptions options, IRegistry registry, IFailoverDeadlines deadlines, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var snapshot = await registry.LoadAsync(cancellationToken).ConfigureAwait(false);
        var master = new MasterCore(options, registry, deadlines, time, loggers);
        await master._loop.InvokeAsync(() => master.Recover(snapshot)).ConfigureAwait(false);
        return master;
    }

    public async ValueTask DisposeAsync()
    {
        await _allocationTimer.DisposeAsync().ConfigureAwait(false);
        _usageFlushTimer?.Dispose();
        if (_reregisterTimer is not null)
        {
            await _reregisterTimer.DisposeAsync().ConfigureAwait(false);
        }

        await _loop.InvokeAsync(CloseAllStreams).ConfigureAwait(false);
        await _loop.DisposeAsync().ConfigureAwait(false);
        await FlushRegistryAsync().ConfigureAwait(false);
        await _failoverDeadlines.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>127.0.0.1 becomes 16777343: network byte order read as a little-endian integer, as Mesos writes it.</summary>
    public static uint IpAsMesosInteger(string ip) =>
        IPAddress.TryParse(ip, out var address) && address.GetAddressBytes() is { Length: 4 } b
            ? BitConverter.ToUInt32(b, 0)
            : 0;

    private void Recover(RegistrySnapshot snapshot)
    {
        foreach (var agent in snapshot.Agents)
        {
            _recoveredAgents[agent.Id] = agent.Info;
        }

        foreach (var framework in snapshot.Frameworks)
        {
            if (framework.Removed)
            {
                _removedFrameworks.Add(framework.Id);
            }
            else
            {
                ExpectFramework(framework);
            }
        }

        RecoverRolesAndAgentStates(snapshot);
        if (_recoveredAgents.Count > 0)
        {
            _reregisterTimer = _time.CreateTimer(_ => _loop.Post(MarkRecoveredAgentsUnreachable), null, _options.AgentReregisterTimeout, Timeout.InfiniteTimeSpan);
        }

        _logger.LogInformation(
            "Recovered {Agents} agents and {Frameworks} frameworks from the registry",
            snapshot.Agents.Count,
            snapshot.Frameworks.Count);
    }

    private void CloseAllStreams()
    {
        foreach (var framework in _frameworks.Values)
        {
            framework.Stream?.Close();
        }

        foreach (var agent in _agents.Values)
        {
            agent.Stream?.Close();
        }
    }

    private double Now() => _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    private EventStream NewSchedulerStream() =>
        new(Guid.NewGuid().ToString(), _time, _options.HeartbeatInterval, Event.Heartbeat());

    private FrameworkId NewFrameworkId() => new($"{MasterId}-{_nextFrameworkNumber++:D4}");

    private AgentId NewAgentId() => new($"{MasterId}-S{_nextAgentNumber++}");

    private OfferId NewOfferId() => new($"{MasterId}-O{_nextOfferNumber++}");

    /// <summary>Sends an event to a framework if it is connected; events for a disconnected framework are
    /// dropped, as in Mesos (reliable updates are retried by the agent; offers are rescinded).</summary>
    private static void SendToFramework(FrameworkEntity framework, Event @event)
    {
        if (framework.Stream is { IsClosed: false } stream)
        {
            stream.Send(@event);
        }
    }
}
