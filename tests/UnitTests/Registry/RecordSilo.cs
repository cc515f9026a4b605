using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Grains.Storage;
using Mesos.Orleans.Testing.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Mesos.Orleans.UnitTests.Registry;

/// <summary>One silo (Orleans.TestingHost) keeping the master's records in an SQLite file, as the embedded
/// master does: registries in any term over its grains, and a way to claim a term as a master grain does.</summary>
internal sealed class RecordSilo : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private RecordSilo(InProcessTestCluster cluster, string path)
    {
        _cluster = cluster;
        Catalog = new SqliteGrainStateCatalog(path, Services.GetRequiredService<IGrainStorageSerializer>());
    }

    public IGrainStateCatalog Catalog { get; }

    /// <summary>Grain calls through the cluster's external client.</summary>
    public IGrainFactory Grains => _cluster.Client;

    private IServiceProvider Services => _cluster.Silos[0].SiloHost.Services;

    public static async Task<RecordSilo> StartAsync(string path)
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseSystemTextJsonGrainStorageSerializer();
            silo.Services.AddSerializer(serializer => serializer.AddMesosWireTypes());
            silo.Services.AddSingleton<TermFence>();
            silo.AddSqliteGrainStorage(GrainStorageName.Mesos, path);
            silo.AddSqliteReminderTable(path);
        });
        builder.ConfigureClient(client => client.Services.AddSerializer(serializer => serializer.AddMesosWireTypes()));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new RecordSilo(cluster, path);
    }

    /// <summary>A registry writing in <paramref name="term"/>, through an external client's grain calls.</summary>
    public GrainRegistry Registry(long term) => new(term, _cluster.Client, Catalog);

    /// <summary>Stores <paramref name="term"/> as the master grain's claimed term, as its activation does.</summary>
    public Task ClaimAsync(long term) => TermClaims.ClaimAsync(Services, term);

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }
}
