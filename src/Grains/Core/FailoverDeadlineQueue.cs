using System.Threading.Channels;
using Mesos.Orleans.Interfaces.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.Grains.Core;

/// <summary>The master's changes to failover deadlines, sent to <see cref="IFailoverDeadlines"/> in the order the
/// master made them and retried until they land. They leave the master's loop at once: a turn that waited for
/// the keeper could deadlock with a keeper that is calling the master, and a change lost with a failed call
/// would leave a framework that is never removed (or one removed while connected).</summary>
internal sealed partial class FailoverDeadlineQueue : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly IFailoverDeadlines _deadlines;
    private readonly long _term;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Func<IFailoverDeadlines, Task>> _changes = Channel.CreateUnbounded<Func<IFailoverDeadlines, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sender;

    public FailoverDeadlineQueue(IFailoverDeadlines deadlines, long term, TimeProvider time, ILogger logger)
    {
        _deadlines = deadlines;
        _term = term;
        _time = time;
        _logger = logger;
        _sender = Task.Run(SendAsync);
    }

    public void Start(FrameworkId id, DateTimeOffset deadline) => _changes.Writer.TryWrite(d => d.StartAsync(_term, id, deadline));

    public void Expect(FrameworkId id, DateTimeOffset grace, DateTimeOffset deadline) => _changes.Writer.TryWrite(d => d.ExpectAsync(_term, id, grace, deadline));

    public void Cancel(FrameworkId id) => _changes.Writer.TryWrite(d => d.CancelAsync(_term, id));

    public async ValueTask DisposeAsync()
    {
        _changes.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sender.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task SendAsync()
    {
        try
        {
            await foreach (var change in _changes.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        await change(_deadlines).ConfigureAwait(false);
                        break;
                    }
                    catch (Registry.StaleTermException e)
                    {
                        // A newer master activation keeps the deadlines now: this one's change is not retried.
                        LogStale(_logger, e.Message);
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The keeper's grain may be moving between silos: try again, in order.
                        LogRetrying(_logger, e.Message);
                        await Task.Delay(RetryDelay, _time, _stopping.Token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The master stops; its successor arms the deadlines of the frameworks it recovers.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A failover deadline change was refused ({Reason}); dropped")]
    private static partial void LogStale(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record a framework's failover deadline ({Reason}); retrying")]
    private static partial void LogRetrying(ILogger logger, string reason);
}
