using Mesos.Orleans.Interfaces.Agent;
using Mesos.Orleans.Interfaces.Json;

namespace Mesos.Orleans.AgentHost.Usage;

/// <summary>Every --usage_interval: a sampling pass, then one USAGE report to the master on the agent's usage
/// stream while the agent is subscribed. Reports are best effort: one that is lost or dropped by a busy
/// master is not retried, the next interval's replaces it, and at most one waits to be sent.</summary>
public sealed class UsageReporter(AgentDaemon agent, UsageMonitor monitor, TimeProvider time, ILogger<UsageReporter> logger) : BackgroundService
{
    private UsageStream? _stream;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(agent.Options.UsageInterval, time);
        try
        {
            do
            {
                monitor.Sample();
                Send();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes the report to the usage stream of the current subscription, opening one when there is
    /// none (first report, a resubscription, a stream the master ended or the network broke).</summary>
    private void Send()
    {
        if (agent.AgentId is not { } id || agent.Master.StreamId is not { } streamId)
        {
            return;
        }

        if (_stream is not { IsOpen: true } || _stream.StreamId != streamId)
        {
            if (_stream is not null)
            {
                logger.LogDebug("Opening a new usage stream to the master");
            }

            _stream?.Dispose();
            _stream = UsageStream.Open(agent.Master, streamId);
        }

        _stream.Send(MesosJson.SerializeToUtf8(new AgentCall { Type = AgentCallType.USAGE, AgentId = id, Usage = monitor.Report() }));
    }

    public override void Dispose()
    {
        _stream?.Dispose();
        base.Dispose();
    }
}
