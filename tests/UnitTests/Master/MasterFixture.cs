using System.Text;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Grains.Streams;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.RecordIO;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Orleans.UnitTests.Master;

/// <summary>A master core on a manual clock and an in-memory registry, driven through its entry points
/// as the HTTP layer drives it, with helpers to read what it streams.</summary>
internal sealed class MasterFixture : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private MasterFixture(MasterCore master, ManualTimeProvider time, ClockFailoverDeadlines deadlines)
    {
        Master = master;
        Time = time;
        Deadlines = deadlines;
    }

    public MasterCore Master { get; }

    public ManualTimeProvider Time { get; }

    public ClockFailoverDeadlines Deadlines { get; }

    public static async Task<MasterFixture> StartAsync(MasterOptions? options = null, IRegistry? registry = null, ManualTimeProvider? clock = null)
    {
        var time = clock ?? new ManualTimeProvider();
        var deadlines = new ClockFailoverDeadlines(time);
        var master = await MasterCore.StartAsync(options ?? new MasterOptions(), registry ?? new InMemoryRegistry(), deadlines, time, NullLoggerFactory.Instance, CancellationToken.None);
        deadlines.Master = master;
        return new MasterFixture(master, time, deadlines);
    }

    public async Task<(AgentId Id, EventStream Stream)> AddAgentAsync(string resources = "cpus:4;mem:4096;ports:[31000-31010]", string host = "agent-1")
    {
        var subscription = await Master.SubscribeAgentAsync(new AgentCall
        {
            Type = AgentCallType.SUBSCRIBE,
            Subscribe = new AgentSubscribe
            {
                AgentInfo = new AgentInfo { Hostname = host, Resources = ResourceBag.Parse(resources).ToWire(ResourceFormat.Endpoint) },
                AgentUrl = new Url { Scheme = "http", Address = new Address { Hostname = host, Ip = "127.0.0.1", Port = 5051 } },
            },
        });
        Assert.Null(subscription.Error);
        var subscribed = await ReadAsync<AgentEvent>(subscription.Stream!);
        Assert.Equal(AgentEventType.SUBSCRIBED, subscribed.Type);
        return (subscription.AgentId!, subscription.Stream!);
    }

    public async Task<(FrameworkId Id, EventStream Stream)> AddFrameworkAsync(FrameworkInfo? info = null)
    {
        var subscription = await Master.SubscribeFrameworkAsync(new Call
        {
            Type = CallType.SUBSCRIBE,
            FrameworkId = info?.Id,
            Subscribe = new SubscribeCall { FrameworkInfo = info ?? new FrameworkInfo { User = "root", Name = "test" } },
        });
        Assert.Null(subscription.Error);
        var subscribed = await ReadAsync<Event>(subscription.Stream!);
        Assert.Equal(EventType.SUBSCRIBED, subscribed.Type);
        return (subscription.FrameworkId!, subscription.Stream!);
    }

    public Task<CallResult> CallAsync(FrameworkId framework, EventStream stream, Call call)
    {
        call.FrameworkId = framework;
        return Master.HandleSchedulerCallAsync(call, stream.StreamId);
    }

    /// <summary>The next event on a stream that is not a heartbeat.</summary>
    public static async Task<T> NextAsync<T>(EventStream stream, Func<T, bool>? match = null)
        where T : class
    {
        while (true)
        {
            var next = await ReadAsync<T>(stream);
            if (!IsHeartbeat(next) && (match is null || match(next)))
            {
                return next;
            }
        }
    }

    public static async Task<T> ReadAsync<T>(EventStream stream)
    {
        using var deadline = new CancellationTokenSource(Patience);
        var record = await stream.Records.ReadAsync(deadline.Token);
        var newline = Array.IndexOf(record, (byte)'\n');
        var length = int.Parse(Encoding.ASCII.GetString(record, 0, newline), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(record.Length - newline - 1, length);
        return MesosJson.Deserialize<T>(record.AsSpan(newline + 1))!;
    }

    /// <summary>True when nothing but heartbeats is queued on the stream right now.</summary>
    public static bool NothingButHeartbeats(EventStream stream)
    {
        while (stream.Records.TryRead(out var record))
        {
            var json = Encoding.UTF8.GetString(record);
            if (!json.Contains("HEARTBEAT", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public ValueTask DisposeAsync() => Master.DisposeAsync();

    private static bool IsHeartbeat<T>(T @event) =>
        @event is Event { Type: EventType.HEARTBEAT } or AgentEvent { Type: AgentEventType.HEARTBEAT };

    public static byte[] Framed(object @event) => RecordIo.Frame(MesosJson.SerializeToUtf8(@event));
}
