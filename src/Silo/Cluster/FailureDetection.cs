using Orleans.Configuration;

namespace Mesos.Orleans.Silo.Cluster;

/// <summary>Membership settings that let the cluster declare a killed silo dead within about 3 s and a
/// stopped (SIGSTOP) one within about 10 s, so that its grains (agents, frameworks, the allocator) come back
/// on the others well inside the 5 s and 10 s failover goals. docs/high-availability.md has the reasoning.</summary>
public static class FailureDetection
{
    public static void Configure(ClusterMembershipOptions membership)
    {
        // A probe unanswered for 1 s counts as missed; three missed, and the prober votes. Orleans' 5 s
        // default, adapting up to 20 s under load, would put a stopped silo's death at 15 s or more.
        membership.ProbeTimeout = TimeSpan.FromSeconds(1);
        membership.NumMissedProbesLimit = 3;
        // Under CPU pressure Orleans stretches probe timeouts; with two shared cores that would make detection
        // depend on the neighbours' load. A slow silo wrongly declared dead restarts and rejoins: cheaper than
        // a stopped one holding grains for half a minute.
        membership.ExtendProbeTimeoutDuringDegradation = false;
        // The liveness check suppresses votes while the connection to the suspect received anything in the
        // last 60 s; a stopped silo's socket stays open, so with it a SIGSTOP took 60 s to be noticed.
        membership.EnableConnectionLivenessCheck = false;
        // Two votes (or every other silo, when fewer) declare death, as by default; votes older than this no
        // longer count, so a hiccup long ago does not combine with one now.
        membership.NumVotesForDeathDeclaration = 2;
        membership.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(20);
        // Silos learn of a death by gossip at once; reading the table every 10 s covers a lost message.
        membership.TableRefreshTimeout = TimeSpan.FromSeconds(10);
        membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
        // A dead silo's row is kept a day for operators, then cleaned up.
        membership.DefunctSiloExpiration = TimeSpan.FromDays(1);
    }
}
