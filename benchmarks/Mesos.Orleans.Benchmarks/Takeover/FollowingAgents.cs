using System.Diagnostics;
using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Http;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Benchmarks.Takeover;

/// <summary>In-process agents on the real agent protocol that follow the leader as mesos-agent does (with its
/// own master list and reconnect schedule): each keeps one SUBSCRIBE stream and, when it ends, reregisters with
/// the ID it was given. Counts reregistrations since <see cref="MarkFailover"/>.</summary>
internal sealed class FollowingAgents : IAsyncDisposable
{
    private const string AgentResources = "cpus:32;mem:131072;ports:[31000-32000]";
    private static readonly List<Resource> WireResources = ResourceBag.Parse(AgentResources).ToWire(ResourceFormat.Endpoint);
    private readonly TimeSpan? _silenceLimit;
    private readonly IReadOnlyList<Uri> _masters;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly int[] _epochs;
    private readonly long[] _resubscribedAt;
    private readonly TaskCompletionSource[] _subscribed;
    private int _epoch;
    private int _resubscribed;

    /// <summary>Every attempt since <see cref="MarkFailover"/>, for the benchmark's account of the stragglers.</summary>
    public AttemptLog Attempts { get; }

    /// <param name="masters">Every silo's URL, as agents are given them.</param>
    /// <param name="count">How many agents.</param>
    /// <param name="silenceLimit">When set, an agent gives up a SUBSCRIBE unanswered, or a stream silent, for this
    /// long and moves on to the next master, as the agent does; needed when a master hangs (SIGSTOP). Kill runs
    /// leave it off: with it, their completion went from about 6 s to 11–12 s, for reasons not yet found.</param>
    public FollowingAgents(IReadOnlyList<Uri> masters, int count, TimeSpan? silenceLimit = null)
    {
        _silenceLimit = silenceLimit;
        _masters = masters;
        Attempts = new AttemptLog(count);
        _epochs = new int[count];
        _resubscribedAt = new long[count];
        _subscribed = [.. Enumerable.Range(0, count).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
    }

    public int Count => _epochs.Length;

    /// <summary>When each agent subscribed again since <see cref="MarkFailover"/> (Stopwatch timestamps).</summary>
    public IReadOnlyList<long> ResubscribedAt => _resubscribedAt;

    /// <summary>Agents that have subscribed again since the last <see cref="MarkFailover"/>.</summary>
    public int Resubscribed => Volatile.Read(ref _resubscribed);

    public async Task StartAsync(int parallelism, TimeSpan timeout)
    {
        await AgentFleet.StartAsync(_subscribed, RunAgentAsync, _tasks, parallelism, timeout, _stop.Token).ConfigureAwait(false);
    }

    public void MarkFailover()
    {
        Volatile.Write(ref _resubscribed, 0);
        Interlocked.Increment(ref _epoch);
        Attempts.Start();
    }

    /// <summary>One agent's life: it follows the leader with the agent's own <see cref="MasterList"/> and
    /// <see cref="ReconnectSchedule"/>, and costs the benchmark's process as little as it can (its SUBSCRIBE body
    /// made once per ID, only SUBSCRIBED events parsed), since ten thousand of them share two cores with the
    /// masters and their cost would otherwise be counted as the masters'.</summary>
    private async Task RunAgentAsync(int index)
    {
        AgentId? id = null;
        byte[]? body = null;
        var masters = new MasterList(_masters);
        masters.StartAt(index);
        var schedule = new ReconnectSchedule(masters.Count);
        while (!_stop.IsCancellationRequested)
        {
            body ??= SubscribeBody(index, id);
            var master = IndexOf(masters.Current);
            var started = Stopwatch.GetTimestamp();
            var answer = await RawSubscribe.RunAsync(masters.Current, body, record =>
            {
                if (id is null && MesosJson.Deserialize<AgentEvent>(record) is { Type: AgentEventType.SUBSCRIBED } subscribed)
                {
                    id = subscribed.Subscribed!.AgentId;
                    body = null;
                }

                Subscribed(index, master, started);
            }, _silenceLimit, _stop.Token).ConfigureAwait(false);
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            if (!answer.Subscribed)
            {
                Attempts.Record(index, answer.Outcome, master, started);
            }

            var outcome = answer switch
            {
                { Outcome: AttemptOutcome.TimedOut } => ReconnectOutcome.Failed, // a hung master: on to the next
                { Subscribed: true } => ReconnectOutcome.StreamEnded,
                { Outcome: AttemptOutcome.Redirected } when masters.FollowRedirect(ToUri(answer.Location)) => ReconnectOutcome.Redirected,
                { Outcome: AttemptOutcome.NoLeader } => ReconnectOutcome.NoLeaderYet,
                _ => ReconnectOutcome.Failed,
            };
            if (outcome is ReconnectOutcome.Failed or ReconnectOutcome.NoLeaderYet)
            {
                masters.MoveOn();
            }

            var wait = schedule.After(outcome);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static Uri? ToUri(string? location) => location is not null && Uri.TryCreate(location, UriKind.RelativeOrAbsolute, out var uri) ? uri : null;

    private int IndexOf(Uri master)
    {
        for (var i = 0; i < _masters.Count; i++)
        {
            if (_masters[i].Port == master.Port)
            {
                return i;
            }
        }

        return -1;
    }

    private void Subscribed(int index, int master, long started)
    {
        var epoch = Volatile.Read(ref _epoch);
        if (_epochs[index] != epoch)
        {
            _epochs[index] = epoch;
            _resubscribedAt[index] = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _resubscribed);
            Attempts.Record(index, AttemptOutcome.Subscribed, master, started);
        }

        _subscribed[index].TrySetResult();
    }

    private static byte[] SubscribeBody(int index, AgentId? id) => MesosJson.SerializeToUtf8(new AgentCall
    {
        Type = AgentCallType.SUBSCRIBE,
        AgentId = id,
        Subscribe = new AgentSubscribe
        {
            AgentInfo = new AgentInfo { Id = id, Hostname = $"sim-agent-{index}", Port = 5051, Resources = WireResources },
            AgentUrl = new Url { Scheme = "http", Address = new Address { Hostname = $"sim-agent-{index}", Ip = "127.0.0.1", Port = 5051 }, Path = "/slave(1)" },
            BootId = $"boot-{index}",
        },
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or HttpRequestException or IOException)
        {
        }

        _stop.Dispose();
    }
}
