namespace Mesos.Orleans.Grains.Master;

/// <summary>A read that a silo's callers share when the master runs on another silo: while one call is out, the
/// readers that arrive wait together for the next, which is sent when the current one returns. Every reader so
/// gets an answer the master built after it asked, and the master answers this silo at most once per round
/// trip however many readers are waiting, instead of sending the same large view once per reader.</summary>
internal sealed class BatchedRead(Func<Task<byte[]>> call)
{
    private readonly Lock _gate = new();
    private Task<byte[]>? _current;
    private Task<byte[]>? _next;

    public Task<byte[]> ReadAsync()
    {
        lock (_gate)
        {
            if (_current is null)
            {
                return Send();
            }

            // The call out now may have been answered before this reader asked: it waits for the next one.
            return _next ??= SendAfterAsync(_current);
        }
    }

    private Task<byte[]> Send()
    {
        var sent = call();
        _current = sent;
        _ = sent.ContinueWith(
            finished =>
            {
                lock (_gate)
                {
                    if (ReferenceEquals(_current, finished))
                    {
                        _current = null;
                    }
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return sent;
    }

    private async Task<byte[]> SendAfterAsync(Task current)
    {
        await current.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        Task<byte[]> sent;
        lock (_gate)
        {
            _next = null;
            sent = Send();
        }

        return await sent.ConfigureAwait(false);
    }
}
