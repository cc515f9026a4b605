using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Client;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Benchmarks.Master;

/// <summary>The launching framework: on each offer, as many tiny tasks as fit (up to the cap and to the
/// tasks still wanted) in one ACCEPT; offers it has no use for yet are held for the next target, or declined
/// when <c>declineSurplus</c> (several frameworks share the cluster, and a framework that hoards offers starves
/// the others); every RUNNING update is acknowledged.</summary>
internal sealed class LaunchFramework(int capacity, int? maxPerAccept, bool declineSurplus = false)
{
    private readonly object _gate = new();
    private readonly Queue<Offer> _held = new();
    private readonly long[] _acceptedAt = new long[capacity];
    private readonly double[] _latencyMs = new double[capacity];
    private readonly Channel<TaskStatus> _acks = Channel.CreateUnbounded<TaskStatus>();
    private readonly List<Task> _inFlight = [];
    private SchedulerSession? _session;
    private int _nextTask;
    private int _wantedUpTo;
    private int _running;
    private int _runStart;
    private int _accepts;
    private int _offersReceived;
    private int _events;
    private string _loop = "not started";
    private int _declined;
    private long _firstAccept;
    private long _lastRunning;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Where the framework stands, for a run that does not finish.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            return $"loop {_loop}, {Volatile.Read(ref _events)} events, {_offersReceived} offers received, {_held.Count} held, {_declined} declined, {_nextTask} tasks sent, {Volatile.Read(ref _running)} RUNNING of {_wantedUpTo} wanted, {Errors.Count} errors";
        }
    }

    public async Task RunAsync(SchedulerSession session, CancellationToken cancellationToken)
    {
        _session = session;
        var ackers = Enumerable.Range(0, 16).Select(_ => Task.Run(() => AcknowledgeAsync(session, cancellationToken))).ToList();
        _loop = "reading";
        try
        {
            await foreach (var @event in session.EventsAsync(cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _events);
                switch (@event.Type)
                {
                    case EventType.OFFERS:
                        foreach (var offer in @event.Offers!.Offers ?? [])
                        {
                            lock (_gate)
                            {
                                _offersReceived++;
                                _held.Enqueue(offer);
                            }
                        }

                        UseHeldOffers();
                        break;
                    case EventType.UPDATE when @event.Update!.Status is { State: TaskState.TASK_RUNNING } status:
                        var now = Stopwatch.GetTimestamp();
                        var index = int.Parse(status.TaskId!.Value.AsSpan(1), CultureInfo.InvariantCulture);
                        _latencyMs[index] = Stopwatch.GetElapsedTime(Volatile.Read(ref _acceptedAt[index]), now).TotalMilliseconds;
                        _acks.Writer.TryWrite(status);
                        if (Interlocked.Increment(ref _running) == Volatile.Read(ref _wantedUpTo))
                        {
                            _lastRunning = now;
                            _done.TrySetResult();
                        }

                        break;
                    case EventType.UPDATE:
                        Errors.Enqueue($"unexpected update {@event.Update!.Status?.State} {@event.Update.Status?.Message}");
                        _acks.Writer.TryWrite(@event.Update.Status!);
                        break;
                    default:
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            _loop = $"failed: {e.GetType().Name} {e.Message}";
            throw;
        }
        finally
        {
            if (_loop == "reading")
            {
                _loop = "ended";
            }

            _acks.Writer.TryComplete();
            await Task.WhenAll(ackers).ConfigureAwait(false);
        }
    }

    /// <summary>Launches <paramref name="count"/> more tasks; done when all of them are RUNNING.</summary>
    public async Task<LaunchResult> LaunchAsync(int count, TimeSpan timeout)
    {
        Task done;
        lock (_gate)
        {
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _runStart = _wantedUpTo;
            _wantedUpTo += count;
            _firstAccept = 0;
            _accepts = 0;
            done = _done.Task;
        }

        UseHeldOffers();
        try
        {
            await done.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Volatile.Read(ref _running) - _runStart} of {count} tasks RUNNING after {timeout.TotalSeconds:F0} s; {Errors.Count} errors {Errors.FirstOrDefault()}");
        }

        var seconds = Stopwatch.GetElapsedTime(_firstAccept, _lastRunning).TotalSeconds;
        var latencies = _latencyMs.AsSpan(_runStart, count).ToArray().ToList();
        latencies.Sort();
        return new LaunchResult(count / seconds, _accepts, MasterBenchmarks.Percentile(latencies, 0.5), MasterBenchmarks.Percentile(latencies, 0.99), latencies[^1], _firstAccept, _lastRunning);
    }

    private void UseHeldOffers()
    {
        List<(Offer Offer, List<TaskInfo> Tasks)> accepts = [];
        List<Offer> declines = [];
        lock (_gate)
        {
            while (_nextTask < _wantedUpTo && _held.TryDequeue(out var offer))
            {
                var fit = Fit(offer);
                var n = Math.Min(Math.Min(fit, _wantedUpTo - _nextTask), maxPerAccept ?? int.MaxValue);
                if (n <= 0)
                {
                    if (declineSurplus)
                    {
                        declines.Add(offer);
                    }

                    continue;
                }

                var now = Stopwatch.GetTimestamp();
                if (_firstAccept == 0)
                {
                    _firstAccept = now;
                }

                var tasks = new List<TaskInfo>(n);
                for (var i = 0; i < n; i++)
                {
                    var index = _nextTask++;
                    _acceptedAt[index] = now;
                    tasks.Add(Calls.CommandTask(offer, $"t{index}", "true", LaunchResult.TaskResources));
                }

                _accepts++;
                accepts.Add((offer, tasks));
            }

            while (declineSurplus && _nextTask >= _wantedUpTo && _held.TryDequeue(out var surplus))
            {
                declines.Add(surplus);
            }
        }

        Interlocked.Add(ref _declined, declines.Count);
        foreach (var offer in declines)
        {
            Send(Calls.Decline(offer, refuseSeconds: 1), "DECLINE");
        }

        foreach (var (offer, tasks) in accepts)
        {
            Send(Calls.Launch(offer, tasks), "ACCEPT");
        }
    }

    private void Send(Call call, string what)
    {
        var session = _session!;
        _ = Task.Run(async () =>
        {
            try
            {
                await session.SendAsync(call).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MesosCallException or HttpRequestException or IOException)
            {
                Errors.Enqueue($"{what} failed: {e.Message}");
            }
        });
    }

    private async Task AcknowledgeAsync(SchedulerSession session, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var status in _acks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await session.AcknowledgeAsync(status, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is MesosCallException or HttpRequestException or IOException)
                {
                    Errors.Enqueue($"ACKNOWLEDGE failed: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static int Fit(Offer offer)
    {
        double cpus = 0, mem = 0;
        foreach (var r in offer.Resources ?? [])
        {
            if (r.Name == "cpus")
            {
                cpus += r.Scalar?.Value ?? 0;
            }
            else if (r.Name == "mem")
            {
                mem += r.Scalar?.Value ?? 0;
            }
        }

        // A hair under the exact quotient: 64 / 0.01 in floating point must not round up past the offer.
        return (int)Math.Min(Math.Floor((cpus / LaunchResult.TaskCpus) + 1e-6), Math.Floor(mem / LaunchResult.TaskMem));
    }
}

/// <summary>One launch target's figures; <c>FirstAccept</c> and <c>LastRunning</c> are <see cref="Stopwatch"/>
/// timestamps of its first ACCEPT and its last TASK_RUNNING.</summary>
internal sealed record LaunchResult(double TasksPerSecond, int Accepts, double P50, double P99, double Max, long FirstAccept, long LastRunning)
{
    /// <summary>The tasks launched: tiny, so that an agent of 64 CPUs holds thousands.</summary>
    public static readonly ResourceBag TaskResources = ResourceBag.Parse("cpus:0.01;mem:1");

    public const double TaskCpus = 0.01;

    public const double TaskMem = 1;
}
