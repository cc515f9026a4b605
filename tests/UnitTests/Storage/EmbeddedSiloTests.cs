using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Storage;
using Mesos.Orleans.Testing.Orleans;
using Mesos.Orleans.Testing.Waiting;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Mesos.Orleans.UnitTests.Storage;

/// <summary>Two silos (Orleans.TestingHost) on the embedded grain storage and reminder table, one SQLite file.</summary>
public sealed class EmbeddedSiloTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("embedded-silo-").FullName;
    private InProcessTestCluster _cluster = null!;

    private string DatabasePath => Path.Combine(_directory, "registry.db");

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseSystemTextJsonGrainStorageSerializer();
            silo.Services.AddSerializer(serializer => serializer.AddMesosWireTypes());
            silo.AddSqliteGrainStorage("mesos", DatabasePath);
            silo.AddSqliteReminderTable(DatabasePath);
        });
        builder.ConfigureClient(client => client.Services.AddSerializer(serializer => serializer.AddMesosWireTypes()));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task State_survives_deactivation_and_is_read_again_from_sqlite()
    {
        var probe = _cluster.Client.GetGrain<IProbeGrain>("survivor");
        await probe.IncrementAsync();
        await probe.IncrementAsync();

        await probe.DeactivateAsync();

        Assert.Equal(3, await probe.IncrementAsync());
    }

    [Fact]
    public async Task A_stale_activation_fails_its_write_deactivates_and_comes_back_with_the_newer_state()
    {
        var probe = _cluster.Client.GetGrain<IProbeGrain>("fenced");
        Assert.Equal(1, await probe.IncrementAsync());

        // Another writer (as a duplicate activation on another silo would) moves the stored state on.
        var other = new SqliteGrainStorage("mesos", new SqliteGrainStorageOptions
        {
            Path = DatabasePath,
            GrainStorageSerializer = new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions())),
        }, TimeProvider.System);
        var state = new GrainState<ProbeState> { State = new ProbeState() };
        await other.ReadStateAsync("probe", probe.GetGrainId(), state);
        state.State.Count = 10;
        await other.WriteStateAsync("probe", probe.GetGrainId(), state);

        await Assert.ThrowsAsync<InconsistentStateException>(probe.IncrementAsync);
        Assert.Equal(11, await probe.IncrementAsync());
    }

    [Fact]
    public async Task A_reminder_fires_and_its_tick_is_persisted()
    {
        var probe = _cluster.Client.GetGrain<IProbeGrain>("reminded");

        await probe.ArmReminderAsync(due: TimeSpan.FromSeconds(1), period: TimeSpan.FromMinutes(1));

        await Eventually.TrueAsync(async () => (await probe.ReadAsync()).Reminded >= 1, "the reminder to fire", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
        await probe.DisarmReminderAsync();
        Assert.Empty((await new SqliteReminderTable(DatabasePath).ReadRows(probe.GetGrainId())).Reminders);
    }
}
