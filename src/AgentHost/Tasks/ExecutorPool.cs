using System.Collections.Concurrent;
using Mesos.Orleans.AgentHost.Isolation;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>Keeps a few executors started ahead of the tasks that will need them
/// (<c>--prestarted_executors</c>), so a launch hands its task to an executor whose runtime is already up
/// instead of waiting for one to start. A launch that finds none ready starts one on the spot, as it would
/// with no pool. The launcher tops the pool up once its task has started (<see cref="Refill"/>), not before: a
/// refill's process start would compete with the launch for the same cores.</summary>
public sealed class ExecutorPool : IDisposable
{
    private readonly ConcurrentQueue<StandbyExecutor> _ready = new();
    private readonly string _executor;
    private readonly CgroupIsolator? _isolator;
    private readonly string _workDir;
    private readonly int _size;
    private readonly ILogger _logger;
    private int _refilling;
    private volatile bool _disposed;

    /// <summary>Each executor started ahead gets its launch's stage in <paramref name="workDir"/> (which the agent
    /// has cleared of what an earlier agent left: <see cref="LaunchStage.Clear"/>).</summary>
    public ExecutorPool(string executor, CgroupIsolator? isolator, string workDir, int size, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        _executor = executor;
        _isolator = isolator;
        _workDir = workDir;
        _size = size;
        _logger = logger;
        Refill();
    }

    /// <summary>Executors waiting for a task now.</summary>
    public int Ready => _ready.Count;

    /// <summary>A waiting executor that is still alive, or null when none is ready (the launch then starts one
    /// with <see cref="StartNow"/>, off the thread that handles the master's events).</summary>
    public StandbyExecutor? TryTake()
    {
        while (_ready.TryDequeue(out var candidate))
        {
            if (!candidate.Process.HasExited)
            {
                return candidate;
            }

            candidate.Dispose();
        }

        return null;
    }

    /// <summary>Starts an executor for one launch now, named <paramref name="name"/>.</summary>
    public StandbyExecutor StartNow(string name) => StandbyExecutor.Start(_executor, _isolator, name);

    /// <summary>Starts executors on a thread-pool thread until the pool is full; one refill runs at a time, and
    /// one that ends re-checks, so a Take during the refill's last start is not missed.</summary>
    public void Refill()
    {
        if (_size == 0 || _disposed || Interlocked.CompareExchange(ref _refilling, 1, 0) != 0)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(
            _ =>
            {
                try
                {
                    while (!_disposed && _ready.Count < _size)
                    {
                        _ready.Enqueue(StandbyExecutor.Start(_executor, _isolator, Guid.NewGuid().ToString(), _workDir));
                    }
                }
                catch (Exception e)
                {
                    // On a thread-pool thread an escaping exception would end the agent: whatever failed (the
                    // binary, a cgroup refused), it is logged and the launches report it.
                    _logger.LogWarning(e, "Could not prestart an executor");
                    return;
                }
                finally
                {
                    Volatile.Write(ref _refilling, 0);
                }

                if (!_disposed && _ready.Count < _size)
                {
                    Refill();
                }
                else if (_disposed)
                {
                    Drain();
                }
            },
            null);
    }

    private void Drain()
    {
        while (_ready.TryDequeue(out var standby))
        {
            standby.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Drain();
    }
}
