using Mesos.Orleans.AgentHost;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Leadership;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Grains.Registry.Postgres;

namespace Mesos.Orleans.Silo.HighAvailability;

/// <summary>
/// A master in an HA group on PostgreSQL. It stands by (serving redirects and reads from a warm registry
/// copy) until the election grants it a term; then it leads — a fresh master core started from the warm
/// copy, writing through a registry fenced with that term — until it loses the lease or a write finds the
/// term stale, when it closes every stream (agents and frameworks go find the new leader) and stands by
/// again. Leader and standby are two web hosts swapped on the same port.
/// </summary>
public static class HaMaster
{
    public static async Task RunAsync(string[] args, CancellationToken stopping)
    {
        var flags = Flags.FromArgs(args);
        var options = MasterHost.ReadOptions(flags);
        var ha = HaOptions.Read(flags);
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        }));
        var log = loggers.CreateLogger("Mesos.Orleans.Silo.HaMaster");

        await using var dataSource = PostgresConnections.Registry(ha.ConnectionString);
        var applied = await PostgresSchema.MigrateAsync(dataSource, stopping);
        log.LogInformation("Registry schema ready ({Applied} migrations applied now)", applied.Count);

        var masterId = Guid.NewGuid().ToString();
        var address = $"{options.Hostname}:{options.Port}";
        await using var leaseStore = new PostgresLeaseStore(PostgresConnections.Lease(ha.ConnectionString, ha.Timings), ha.Timings);
        var elector = new LeaseElector(leaseStore, masterId, address, ha.Timings, TimeProvider.System, loggers.CreateLogger<LeaseElector>());
        var membership = new PostgresMembership(dataSource, masterId, options.Hostname, options.Ip, options.Port);
        var warm = new WarmRegistry(new PostgresRegistry(dataSource, masterId, term: null), TimeProvider.System, loggers.CreateLogger<WarmRegistry>());
        var context = new HaContext(masterId, ha, elector, membership, warm);

        using var background = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var electing = elector.RunAsync(background.Token);
        var warming = warm.RunAsync(() => elector.CurrentTerm is null, background.Token);
        var heartbeat = HeartbeatAsync(context, log, background.Token);
        var rehearsal = Task.Run(() => LeaderRehearsal.RunAsync(args, options, log, background.Token), background.Token);
        log.LogInformation("Master {Id} at {Address} standing by for election (lease {Ttl})", masterId, address, ha.Timings.Ttl);

        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var term = await StandByAsync(args, options, context, stopping);
                if (term is null)
                {
                    break;
                }

                await LeadAsync(args, options, context, term.Value, log, stopping);
            }
        }
        finally
        {
            try
            {
                await elector.ReleaseAsync(CancellationToken.None);
                await membership.HeartbeatAsync("stopped", null, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Could not release the lease on shutdown: {Error}", e.Message);
            }

            await background.CancelAsync();
            await Task.WhenAll(electing, warming, heartbeat, rehearsal).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Serves as a standby until elected; the term, or null when stopping.</summary>
    private static async Task<long?> StandByAsync(string[] args, MasterOptions options, HaContext ha, CancellationToken stopping)
    {
        var app = StandbyHost.Build(args, options, ha);
        await app.StartAsync(stopping);
        try
        {
            while (await ha.Elector.Changes.WaitToReadAsync(stopping))
            {
                while (ha.Elector.Changes.TryRead(out var change))
                {
                    if (change is LeadershipChange.Elected elected)
                    {
                        return elected.Term;
                    }
                }
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    /// <summary>Leads in <paramref name="term"/> until the lease is lost, a write is fenced, or the master stops.</summary>
    private static async Task LeadAsync(string[] args, MasterOptions options, HaContext ha, long term, ILogger log, CancellationToken stopping)
    {
        var started = TimeProvider.System.GetTimestamp();
        var registry = new PostgresRegistry(ha.Warm.Reader, ha.MasterId, term);
        MasterHost.LeaderApp? leader = null;
        try
        {
            var snapshot = await ha.Warm.RefreshAsync(stopping);
            var termOptions = options.WithTerm(term);
            leader = await MasterHost.BuildLeaderAsync(args, termOptions, registry, snapshot, ha, stopping);
            leader.Master.RegistryFailed += e =>
            {
                if (e is StaleTermException)
                {
                    ha.Elector.Resign(e.Message);
                }
            };
            await leader.App.StartAsync(stopping);
            log.LogInformation(
                "Leading in term {Term} with {Agents} agents and {Frameworks} frameworks from the registry, serving after {Ms} ms",
                term, snapshot.Agents.Count, snapshot.Frameworks.Count, (long)TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
            await ha.Membership.HeartbeatAsync("leader", term, stopping);

            while (await ha.Elector.Changes.WaitToReadAsync(stopping))
            {
                if (ha.Elector.Changes.TryRead(out var change) && change is LeadershipChange.SteppedDown down && down.Term == term)
                {
                    log.LogWarning("Stepping down from term {Term}: {Reason}", term, down.Reason);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e) when (e is StaleTermException or Npgsql.NpgsqlException or TimeoutException or IOException)
        {
            log.LogWarning("Could not take over in term {Term}: {Error}", term, e.Message);
            ha.Elector.Resign(e.Message);
        }
        finally
        {
            if (leader is not null)
            {
                // Close every stream first, so agents and frameworks leave for the new leader at once.
                await leader.Master.DisposeAsync();
                await leader.App.StopAsync(CancellationToken.None);
                await leader.App.DisposeAsync();
            }
        }
    }

    private static async Task HeartbeatAsync(HaContext ha, ILogger log, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var term = ha.Elector.CurrentTerm;
                await ha.Membership.HeartbeatAsync(term is null ? "standby" : "leader", term, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogDebug("Membership heartbeat failed: {Error}", e.Message);
            }

            try
            {
                await Task.Delay(ha.Options.Timings.RenewInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
