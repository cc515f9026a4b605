using System.Net;
using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Storage;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Mesos.Orleans.Silo.Cluster;

/// <summary>Configures this process's Orleans silo: clustering, grain storage and reminders, on PostgreSQL
/// (<c>--cluster postgres</c>) or embedded (one silo, state in SQLite under the work directory).</summary>
public static class SiloSetup
{
    /// <summary>Orleans' ADO.NET providers name the Npgsql driver by this invariant.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>The service ID is part of every stored grain state and reminder: it stays fixed across
    /// restarts and upgrades, or the cluster would forget them.</summary>
    public const string ServiceId = "mesos";

    public static void Configure(ISiloBuilder silo, SiloOptions options, string ip, string workDir)
    {
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = ServiceId;
        });
        silo.Configure<ClusterMembershipOptions>(FailureDetection.Configure);
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.Services.AddSerializer(serializer => serializer.AddMesosWireTypes());
        silo.Services.AddSingleton<global::Orleans.Statistics.IEnvironmentStatisticsProvider, ProcessStatistics>();

        if (options.Cluster == SiloOptions.Postgres)
        {
            silo.ConfigureEndpoints(IPAddress.Parse(ip), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
            silo.UseAdoNetClustering(clustering =>
            {
                clustering.Invariant = NpgsqlInvariant;
                clustering.ConnectionString = options.ConnectionString;
            });
            silo.AddAdoNetGrainStorage(GrainStorageName.Mesos, storage =>
            {
                storage.Invariant = NpgsqlInvariant;
                storage.ConnectionString = options.ConnectionString;
            });
            silo.UseAdoNetReminderService(reminders =>
            {
                reminders.Invariant = NpgsqlInvariant;
                reminders.ConnectionString = options.ConnectionString;
            });
            return;
        }

        silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: ServiceId, clusterId: options.ClusterId);
        silo.AddSqliteGrainStorage(GrainStorageName.Mesos, Path.Combine(workDir, "registry.db"));
        silo.AddSqliteReminderTable(Path.Combine(workDir, "registry.db"));
    }
}
