using System.Text;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Grains.Frameworks;
using Mesos.Orleans.Grains.Storage;
using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Waiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Mesos.Orleans.UnitTests.Master;

/// <summary>The master grain on two silos (Orleans.TestingHost) sharing one SQLite registry: a subscription's
/// stream and its calls through different silos, and the master moving when its silo stops.</summary>
public sealed class MasterGrainTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("master-grain-").FullName;
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var registryPath = Path.Combine(_directory, "registry.db");
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSerializer(serializer => serializer.AddMesosWireTypes());
            silo.Services.AddSingleton<LocalMaster>();
            silo.Services.AddSingleton<IFailoverDeadlines, GrainFailoverDeadlines>();
            silo.Services.AddSingleton<TermFence>();
            silo.Services.AddSingleton<IMasterCoreSource>(services => new RecordsMasterSource(
                services.GetRequiredService<IGrainFactory>(),
                new SqliteGrainStateCatalog(registryPath, services.GetRequiredService<IGrainStorageSerializer>()),
                services.GetRequiredService<IFailoverDeadlines>()));
            silo.AddSqliteGrainStorage(GrainStorageName.Mesos, registryPath);
            silo.AddSqliteReminderTable(registryPath);
        });
        builder.ConfigureClient(client => client.Services.AddSerializer(serializer => serializer.AddMesosWireTypes()));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_framework_streams_through_one_silo_calls_through_the_other_and_is_recovered_when_the_master_moves()
    {
        await _cluster.Client.GetGrain<IMasterGrain>(MasterGrain.Key).Ping();
        var hosting = HostingSilo();
        var other = _cluster.Silos.Single(s => s != hosting);
        var viaHosting = Master(hosting);
        var viaOther = Master(other);
        var firstTerm = (await viaOther.Describe()).LeaderTerm;

        var frameworkId = string.Empty;
        await using (var stream = viaOther.SubscribeFramework(Subscribe(id: null)).GetAsyncEnumerator())
        {
            Assert.True(await stream.MoveNextAsync());
            frameworkId = stream.Current.SubscriberId!;
            var streamId = stream.Current.StreamId!;
            Assert.True(await stream.MoveNextAsync());
            Assert.Equal(EventType.SUBSCRIBED, Parse(stream.Current.Record!).Type);

            var revive = await viaHosting.HandleSchedulerCall(new Call { Type = CallType.REVIVE, FrameworkId = new FrameworkId(frameworkId) }, streamId);
            var wrongStream = await viaOther.HandleSchedulerCall(new Call { Type = CallType.REVIVE, FrameworkId = new FrameworkId(frameworkId) }, "not-the-stream");

            Assert.Equal(202, revive.StatusCode);
            Assert.Equal(400, wrongStream.StatusCode);
            Assert.True(Assert.Single((await viaOther.GetFrameworks()).Frameworks!).Connected);

            await _cluster.StopSiloAsync(hosting);

            // The subscriber's stream ends (or fails) once the master's activation is gone.
            await Eventually.TrueAsync(async () => !await MoveNextQuietlyAsync(stream), "the stream to end with its master", TimeSpan.FromSeconds(30));
        }

        // The surviving silo activates the master again in the next term, which recovers the framework from
        // its grain's record.
        await viaOther.Ping();
        Assert.Same(other, HostingSilo());
        Assert.True((await viaOther.Describe()).LeaderTerm > firstTerm);
        await using var again = viaOther.SubscribeFramework(Subscribe(new FrameworkId(frameworkId))).GetAsyncEnumerator();
        Assert.True(await again.MoveNextAsync());
        Assert.Null(again.Current.Error);
        Assert.True(await again.MoveNextAsync());
        var subscribed = Parse(again.Current.Record!);
        Assert.Equal(frameworkId, subscribed.Subscribed!.FrameworkId!.Value);
    }

    [Fact]
    public async Task A_subscriber_that_leaves_disconnects_its_framework_at_the_master()
    {
        var master = _cluster.Client.GetGrain<IMasterGrain>(MasterGrain.Key);
        await using (var stream = master.SubscribeFramework(Subscribe(id: null)).GetAsyncEnumerator())
        {
            Assert.True(await stream.MoveNextAsync());
            Assert.True(await stream.MoveNextAsync());
            Assert.True(Assert.Single((await master.GetFrameworks()).Frameworks!).Connected);
        }

        await Eventually.TrueAsync(
            async () => (await master.GetFrameworks()).Frameworks!.Single() is { Connected: false },
            "the framework to be disconnected once its subscriber left",
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_disconnected_framework_is_removed_by_its_reminder_after_the_master_moved()
    {
        var master = _cluster.Client.GetGrain<IMasterGrain>(MasterGrain.Key);
        var frameworkId = await SubscribeAndLeaveAsync(master, failoverTimeout: 5);
        var deadlines = _cluster.Client.GetGrain<IFrameworkGrain>(FrameworkGrain.KeyOf(frameworkId));
        await Eventually.TrueAsync(async () => await deadlines.GetFailoverDeadline() is not null, "the failover deadline to be kept by the framework's grain", TimeSpan.FromSeconds(10));

        // The master's silo goes before the deadline passes; the new master only knows the framework from the
        // registry, and has no timer of its own: the reminder must bring the deadline to it.
        var survivor = _cluster.Silos.Single(s => s != HostingSilo());
        await _cluster.StopSiloAsync(HostingSilo());
        await Master(survivor).Ping();

        await Eventually.TrueAsync(async () => await deadlines.GetFailoverDeadline() is null, "the reminder to fire and the master to settle the deadline", TimeSpan.FromSeconds(60));
        var items = new List<MasterStreamItem>();
        await foreach (var item in Master(survivor).SubscribeFramework(Subscribe(frameworkId)))
        {
            items.Add(item);
        }

        Assert.Equal(EventType.ERROR, Parse(items[^1].Record!).Type);
        Assert.Equal("Framework has been removed", Parse(items[^1].Record!).Error!.Message);
    }

    [Fact]
    public async Task A_framework_that_resubscribes_in_time_is_kept_and_its_deadline_cancelled()
    {
        var master = _cluster.Client.GetGrain<IMasterGrain>(MasterGrain.Key);
        var frameworkId = await SubscribeAndLeaveAsync(master, failoverTimeout: 600);
        var deadlines = _cluster.Client.GetGrain<IFrameworkGrain>(FrameworkGrain.KeyOf(frameworkId));
        await Eventually.TrueAsync(async () => await deadlines.GetFailoverDeadline() is not null, "the failover deadline to be kept by the framework's grain", TimeSpan.FromSeconds(10));
        var deadline = (await deadlines.GetFailoverDeadline())!.Value;
        Assert.InRange(deadline - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(500), TimeSpan.FromSeconds(600));

        await using var again = master.SubscribeFramework(Subscribe(frameworkId)).GetAsyncEnumerator();
        Assert.True(await again.MoveNextAsync());
        Assert.True(await again.MoveNextAsync());
        Assert.Equal(EventType.SUBSCRIBED, Parse(again.Current.Record!).Type);
        await Eventually.TrueAsync(async () => await deadlines.GetFailoverDeadline() is null, "the deadline to be cancelled by the resubscription", TimeSpan.FromSeconds(10));
    }

    /// <summary>Subscribes a new framework, then leaves: it is disconnected, and its failover timeout runs.</summary>
    private static async Task<FrameworkId> SubscribeAndLeaveAsync(IMasterGrain master, double failoverTimeout)
    {
        var call = Subscribe(id: null);
        call.Subscribe!.FrameworkInfo!.FailoverTimeout = failoverTimeout;
        await using var stream = master.SubscribeFramework(call).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());
        var id = new FrameworkId(stream.Current.SubscriberId!);
        Assert.True(await stream.MoveNextAsync());
        Assert.Equal(EventType.SUBSCRIBED, Parse(stream.Current.Record!).Type);
        return id;
    }

    [Fact]
    public async Task A_refused_subscription_answers_the_error_first_and_ends()
    {
        var master = _cluster.Client.GetGrain<IMasterGrain>(MasterGrain.Key);
        var call = Subscribe(id: null);
        call.Subscribe!.FrameworkInfo!.Name = null;

        var items = new List<MasterStreamItem>();
        await foreach (var item in master.SubscribeFramework(call))
        {
            items.Add(item);
        }

        var refusal = Assert.Single(items);
        Assert.Equal(400, refusal.Error!.StatusCode);
    }

    private IMasterGrain Master(InProcessSiloHandle silo) =>
        silo.SiloHost.Services.GetRequiredService<IGrainFactory>().GetGrain<IMasterGrain>(MasterGrain.Key);

    private InProcessSiloHandle HostingSilo() =>
        _cluster.Silos.Single(s => s.SiloHost.Services.GetRequiredService<LocalMaster>().Current is not null);

    private static async Task<bool> MoveNextQuietlyAsync(IAsyncEnumerator<MasterStreamItem> stream)
    {
        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await stream.MoveNextAsync().AsTask().WaitAsync(wait.Token) && stream.Current is not null;
        }
        catch (Exception e) when (e is OrleansException or EnumerationAbortedException or TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }

    private static Call Subscribe(FrameworkId? id) => new()
    {
        Type = CallType.SUBSCRIBE,
        FrameworkId = id,
        Subscribe = new SubscribeCall
        {
            FrameworkInfo = new FrameworkInfo { Id = id, User = "root", Name = "grain-test", FailoverTimeout = 600 },
        },
    };

    private static Event Parse(byte[] record)
    {
        var newline = Array.IndexOf(record, (byte)'\n');
        Assert.Equal(int.Parse(Encoding.ASCII.GetString(record, 0, newline), System.Globalization.CultureInfo.InvariantCulture), record.Length - newline - 1);
        return MesosJson.Deserialize<Event>(record.AsSpan(newline + 1))!;
    }

    private sealed class RecordsMasterSource(IGrainFactory grains, IGrainStateCatalog catalog, IFailoverDeadlines deadlines) : IMasterCoreSource
    {
        // Frameworks the registry knows get this long to come back to a new master (the default is 10 minutes).
        private static readonly MasterOptions Options = new() { AgentReregisterTimeout = TimeSpan.FromSeconds(3) };

        public Task<MasterCore> StartAsync(long term, CancellationToken cancellationToken) =>
            MasterCore.StartAsync(Options.WithTerm(term), new GrainRegistry(term, grains, catalog), deadlines, TimeProvider.System, NullLoggerFactory.Instance, cancellationToken);
    }
}
