using System.Diagnostics;

namespace Mesos.Orleans.Testing.Waiting;

/// <summary>
/// Waits for a condition to become true, polling it until a deadline. Use this instead of fixed sleeps:
/// a test then waits exactly as long as it must, and a failure names what never happened.
/// </summary>
public static class Eventually
{
    /// <summary>How long to wait when the caller does not say.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long to pause between two evaluations of the condition when the caller does not say.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Polls <paramref name="condition"/> until it returns true. An exception thrown by the condition counts as
    /// "not yet" and is kept: if the deadline passes, the last one becomes the inner exception of the
    /// <see cref="TimeoutException"/>, whose message names <paramref name="description"/>.
    /// </summary>
    /// <param name="condition">The condition; it gets a token cancelled at the deadline.</param>
    /// <param name="description">What is awaited, e.g. "agent a1 registered"; used in the timeout message.</param>
    /// <param name="timeout">The deadline, from now; <see cref="DefaultTimeout"/> when null.</param>
    /// <param name="pollInterval">The pause between evaluations; <see cref="DefaultPollInterval"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait (throws <see cref="OperationCanceledException"/>).</param>
    public static async Task TrueAsync(
        Func<CancellationToken, Task<bool>> condition,
        string description,
        TimeSpan? timeout = null,
        TimeSpan? pollInterval = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        var limit = timeout ?? DefaultTimeout;
        var pause = pollInterval ?? DefaultPollInterval;
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        Exception? last = null;
        var attempts = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            attempts++;
            try
            {
                if (await condition(deadline.Token).ConfigureAwait(false))
                {
                    return;
                }

                last = null;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The deadline cut the condition short: report the timeout below.
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                last = ex;
            }

            if (clock.Elapsed >= limit)
            {
                throw new TimeoutException(
                    $"Timed out after {limit.TotalSeconds:0.###} s ({attempts} attempts) waiting for: {description}"
                        + (last is null ? string.Empty : $" (last error: {last.GetType().Name}: {last.Message})"),
                    last);
            }

            var remaining = limit - clock.Elapsed;
            try
            {
                await Task.Delay(remaining < pause ? remaining : pause, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentOutOfRangeException)
            {
                // remaining went negative between the check and the delay: loop once more, then time out.
            }
        }
    }

    /// <summary>Polls an asynchronous condition that ignores cancellation; see the main overload.</summary>
    public static Task TrueAsync(
        Func<Task<bool>> condition,
        string description,
        TimeSpan? timeout = null,
        TimeSpan? pollInterval = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return TrueAsync(_ => condition(), description, timeout, pollInterval, cancellationToken);
    }

    /// <summary>Polls a synchronous condition; see the main overload.</summary>
    public static Task TrueAsync(
        Func<bool> condition,
        string description,
        TimeSpan? timeout = null,
        TimeSpan? pollInterval = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return TrueAsync(_ => Task.FromResult(condition()), description, timeout, pollInterval, cancellationToken);
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns a non-null value, and returns that value
    /// (e.g. "the task's status, once it exists"). Timeouts and errors behave as for <c>TrueAsync</c>.
    /// </summary>
    public static async Task<T> ValueAsync<T>(
        Func<CancellationToken, Task<T?>> probe,
        string description,
        TimeSpan? timeout = null,
        TimeSpan? pollInterval = null,
        CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        T? found = null;
        await TrueAsync(
            async ct =>
            {
                found = await probe(ct).ConfigureAwait(false);
                return found is not null;
            },
            description,
            timeout,
            pollInterval,
            cancellationToken).ConfigureAwait(false);
        return found!;
    }
}
