using System.Net;
using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Registry;
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

    /// <summary>The embedded silo's SQLite file: grain state and reminders.</summary>
    public static string EmbeddedDatabase(string workDir) => Path.Combine(workDir, "registry.db");

    /// <summary>Configures the silo; <paramref name="inMemory"/> (embedded only) keeps grain state and reminders
    /// in this process, so that nothing survives a restart.</summary>
    public static void Configure(ISiloBuilder silo, SiloOptions options, string ip, string workDir, bool inMemory = false)
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
        silo.Services.AddSingleton<TermFence>();

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
        if (inMemory)
        {
            silo.AddMemoryGrainStorage(GrainStorageName.Mesos);
            silo.UseInMemoryReminderService();
            return;
        }

        silo.AddSqliteGrainStorage(GrainStorageName.Mesos, EmbeddedDatabase(workDir));
        silo.AddSqliteReminderTable(EmbeddedDatabase(workDir));
    }
}
