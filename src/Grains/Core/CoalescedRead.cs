namespace Mesos.Orleans.Grains.Core;

/// <summary>A read of the master's state that the callers waiting at the same time share, as Mesos batches its
/// /state requests. A caller joins the read queued on the loop while it has not started, so it still sees every
/// change made before it asked; once that read has started, the next caller queues a new one. The view is
/// rendered to its JSON body once, off the loop, for everyone who shares it: under a burst of operator reads
/// the master builds and renders one view per turn instead of one per request.</summary>
internal sealed class CoalescedRead<T>(EventLoop loop, Func<T> read, Func<T, byte[]> render)
{
    private readonly Lock _gate = new();
    private object? _queued;
    private Task<byte[]>? _shared;

    public Task<byte[]> ReadAsync()
    {
        lock (_gate)
        {
            if (_shared is { } shared)
            {
                return shared;
            }

            var token = new object();
            _queued = token;
            var view = loop.InvokeAsync(() =>
            {
                lock (_gate)
                {
                    // Started: callers from now on may have made changes this read will not see.
                    if (ReferenceEquals(_queued, token))
                    {
                        _queued = null;
                        _shared = null;
                    }
                }

                return read();
            });
            var rendered = RenderAsync(view);
            if (ReferenceEquals(_queued, token))
            {
                _shared = rendered;
            }

            return rendered;
        }
    }

    private async Task<byte[]> RenderAsync(Task<T> view) => render(await view.ConfigureAwait(false));
}
