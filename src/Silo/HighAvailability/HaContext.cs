using Mesos.Orleans.Grains.Leadership;
using Mesos.Orleans.Grains.Registry.Postgres;
using Mesos.Orleans.Interfaces.Operator;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Silo.HighAvailability;

/// <summary>What the HTTP layer of a master in an HA group needs: the election (who leads, whether we do),
/// the membership table, and the warm registry copy.</summary>
public sealed class HaContext(string masterId, HaOptions options, LeaseElector elector, PostgresMembership membership, WarmRegistry warm)
{
    public string MasterId { get; } = masterId;

    public HaOptions Options { get; } = options;

    public LeaseElector Elector { get; } = elector;

    public PostgresMembership Membership { get; } = membership;

    public WarmRegistry Warm { get; } = warm;

    /// <summary>The leader's host:port as this master knows it; null when none is known.</summary>
    public string? LeaderAddress => Elector.KnownLeader?.Address;

    public async Task<GetMasters> GetMastersAsync(CancellationToken cancellationToken)
    {
        var members = await Membership.ListAsync(Options.Timings.Ttl * 3, cancellationToken).ConfigureAwait(false);
        return new GetMasters
        {
            Masters = [.. members.Select(m => new MasterMemberInfo
            {
                Id = m.MasterId,
                Address = new Address { Hostname = m.Hostname, Ip = m.Ip, Port = m.Port },
                Status = m.Status,
                Term = m.Term,
                StartTime = m.StartedAt.ToUnixTimeMilliseconds() / 1000.0,
                LastHeartbeatTime = m.LastHeartbeat.ToUnixTimeMilliseconds() / 1000.0,
                Alive = m.Alive,
            })],
        };
    }
}
