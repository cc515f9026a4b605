namespace Mesos.Orleans.Benchmarks;

/// <summary>Starts the simulated agents of a benchmark: each agent's loop runs in the background, at most
/// <c>parallelism</c> of them subscribing at once (the next starts when one has its SUBSCRIBED), and the
/// call returns when every agent is subscribed. An agent whose loop fails before that fails the start.</summary>
internal static class AgentFleet
{
    public static async Task StartAsync(
        TaskCompletionSource[] subscribed, Func<int, Task> runAgent, ICollection<Task> running, int parallelism, TimeSpan timeout, CancellationToken stop)
    {
        using var gate = new SemaphoreSlim(parallelism);
        for (var i = 0; i < subscribed.Length; i++)
        {
            await gate.WaitAsync(stop).ConfigureAwait(false);
            var index = i;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await runAgent(index).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
                {
                    subscribed[index].TrySetException(e);
                }
            }, CancellationToken.None)); // The agent's own loop watches the stop token.
            _ = subscribed[index].Task.ContinueWith(_ => gate.Release(), TaskScheduler.Default);
        }

        await Task.WhenAll(subscribed.Select(s => s.Task)).WaitAsync(timeout, stop).ConfigureAwait(false);
    }
}
