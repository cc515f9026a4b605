using System.Threading.Channels;
using Mesos.Orleans.Interfaces.Client;

namespace Mesos.Orleans.IntegrationTests.Client;

/// <summary>Runs one <c>await foreach</c> over a client stream in the background, as an application's loop
/// would, and lets a test wait for the events it expects, in order, with a deadline. The loop's fate (still
/// running, ended, thrown) stays visible, which is what the reconnection tests check.</summary>
internal sealed class EventRecorder<T> : IAsyncDisposable
{
    private readonly Channel<T> _events = Channel.CreateUnbounded<T>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<T> _received = [];

    public EventRecorder(Func<CancellationToken, IAsyncEnumerable<T>> stream)
    {
        Loop = Task.Run(async () =>
        {
            try
            {
                await foreach (var @event in stream(_stop.Token).ConfigureAwait(false))
                {
                    lock (_received)
                    {
                        _received.Add(@event);
                    }

                    await _events.Writer.WriteAsync(@event).ConfigureAwait(false);
                }
            }
            finally
            {
                _events.Writer.TryComplete();
            }
        });
    }

    /// <summary>The application's loop; completes only when the enumeration ends.</summary>
    public Task Loop { get; }

    public IReadOnlyList<T> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The next event of type <typeparamref name="TEvent"/> that matches; others before it are skipped.</summary>
    public async Task<TEvent> NextAsync<TEvent>(Func<TEvent, bool>? match = null, TimeSpan? timeout = null, string? description = null)
        where TEvent : T
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            while (true)
            {
                if (await _events.Reader.ReadAsync(deadline.Token).ConfigureAwait(false) is TEvent typed && (match is null || match(typed)))
                {
                    return typed;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"No {description ?? typeof(TEvent).Name} within {limit}; received: {string.Join(", ", Received.Select(Describe))}");
        }
        catch (ChannelClosedException)
        {
            var why = Loop.IsFaulted ? Loop.Exception!.GetBaseException().ToString() : "the enumeration ended";
            throw new InvalidOperationException($"No {description ?? typeof(TEvent).Name}: {why}; received: {string.Join(", ", Received.Select(Describe))}");
        }
    }

    /// <summary>An event as a failure message shows it: updates with their task, state, reason and source.</summary>
    private static string Describe(T @event) => @event switch
    {
        TaskStatusUpdated { Status: var s } => $"Update({s.TaskId} {s.State} {s.Reason} {s.Source} uuid:{s.Uuid is not null} '{s.Message}')",
        HeartbeatReceived => "Heartbeat",
        Subscribed s => $"Subscribed({s.FrameworkId} resubscription:{s.IsResubscription})",
        Disconnected d => $"Disconnected({d.Reason})",
        _ => @event?.GetType().Name ?? "null",
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled on purpose.
        }

        _stop.Dispose();
    }
}
