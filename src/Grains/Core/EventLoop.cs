using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.Grains.Core;

/// <summary>The master's single writer. Every mutation of master state runs as one turn on this loop,
/// so a turn sees and leaves a consistent state — what a grain call would give, without the runtime.
/// Turns may await (a registry write, for instance); the next turn starts only when one has finished.</summary>
public sealed class EventLoop : IAsyncDisposable
{
    private readonly Channel<Func<Task>> _turns = Channel.CreateUnbounded<Func<Task>>(
        new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Turns that take longer are logged: every caller behind them waits.</summary>
    private static readonly TimeSpan SlowTurn = TimeSpan.FromSeconds(1);

    private readonly ILogger _logger;
    private readonly Task _runner;
    private int _queued;

    public EventLoop(ILogger logger)
    {
        _logger = logger;
        _runner = Task.Run(RunAsync);
    }

    /// <summary>Turns waiting to run; exported as a metric.</summary>
    public int QueueLength => Volatile.Read(ref _queued);

    public Task<T> InvokeAsync<T>(Func<T> turn) => InvokeAsync(() => Task.FromResult(turn()));

    public Task InvokeAsync(Action turn) => InvokeAsync(() =>
    {
        turn();
        return Task.FromResult(true);
    });

    public Task<T> InvokeAsync<T>(Func<Task<T>> turn)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var accepted = _turns.Writer.TryWrite(async () =>
        {
            try
            {
                completion.SetResult(await turn().ConfigureAwait(false));
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        });
        if (accepted)
        {
            Interlocked.Increment(ref _queued);
        }
        else
        {
            completion.SetException(new ObjectDisposedException(nameof(EventLoop)));
        }

        return completion.Task;
    }

    /// <summary>Queues a turn whose result nobody awaits (timers, disconnect notices); failures are logged.</summary>
    public void Post(Action turn) => LogFailure(InvokeAsync(turn));

    /// <summary>Queues an asynchronous turn whose result nobody awaits; the loop waits for it to finish.</summary>
    public void Post(Func<Task> turn) => LogFailure(InvokeAsync(async () =>
    {
        await turn().ConfigureAwait(false);
        return true;
    }));

    public async ValueTask DisposeAsync()
    {
        _turns.Writer.TryComplete();
        await _runner.ConfigureAwait(false);
    }

    private void LogFailure(Task turn) => turn.ContinueWith(
        t =>
        {
            // Notices posted while the master shuts down (a stream ending) have nothing left to update.
            if (t.Exception?.InnerException is not ObjectDisposedException)
            {
                _logger.LogError(t.Exception, "A posted master turn failed");
            }
        },
        CancellationToken.None,
        TaskContinuationOptions.OnlyOnFaulted,
        TaskScheduler.Default);

    private async Task RunAsync()
    {
        await foreach (var turn in _turns.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Interlocked.Decrement(ref _queued);
            var started = Stopwatch.GetTimestamp();
            await turn().ConfigureAwait(false);
            if (Stopwatch.GetElapsedTime(started) is var took && took > SlowTurn)
            {
                _logger.LogWarning("A master turn took {Elapsed}; {Queued} turns wait behind it", took, QueueLength);
            }
        }
    }
}
