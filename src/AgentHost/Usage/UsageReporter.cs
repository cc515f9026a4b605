using Mesos.Orleans.Interfaces.Agent;

namespace Mesos.Orleans.AgentHost.Usage;

/// <summary>Every --usage_interval: a sampling pass, then one USAGE report to the master while the agent is
/// subscribed. Reports are best effort: one that fails or is dropped by a busy master is not retried, the
/// next interval's replaces it. A slow master makes the timer skip ticks rather than queue reports.</summary>
public sealed class UsageReporter(AgentDaemon agent, UsageMonitor monitor, TimeProvider time, ILogger<UsageReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(agent.Options.UsageInterval, time);
        try
        {
            do
            {
                monitor.Sample();
                await SendAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        if (agent.AgentId is not { } id || agent.Master.StreamId is null)
        {
            return;
        }

        try
        {
            var call = new AgentCall { Type = AgentCallType.USAGE, AgentId = id, Usage = monitor.Report() };
            if (!await agent.Master.SendUsageAsync(call, cancellationToken).ConfigureAwait(false))
            {
                logger.LogDebug("The master did not take the usage report (busy or reconnecting); the next one replaces it");
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(e, "Usage report not delivered; the next one replaces it");
        }
    }
}
