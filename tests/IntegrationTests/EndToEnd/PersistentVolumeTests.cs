using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;
using Mesos.Orleans.Testing.Processes;
using Mesos.Orleans.Testing.Scheduler;
using Mesos.Orleans.Testing.Waiting;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.EndToEnd;

/// <summary>RESERVE, CREATE, LAUNCH on the volume, LAUNCH again to read what the first task wrote, DESTROY.</summary>
public sealed class PersistentVolumeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Data_written_to_a_persistent_volume_is_there_for_the_next_task_until_the_volume_is_destroyed()
    {
        await using var cluster = await MesosCluster.StartAsync(output);
        await using var scheduler = await TestScheduler.SubscribeAsync(cluster.Master, new FrameworkInfo { User = "root", Name = "db", Role = "db", Principal = "ops" });
        var reserved = ResourceBag.Parse("disk:64").PushReservation(ResourceReservation.Dynamic("db", "ops"));
        var volume = reserved.MapKeys(k => new ResourceKey(k.Name, k.Type, k.Reservations, disk: new DiskPersistence("vol1", "ops", "data", VolumeMode.RW)));

        var offer = (await scheduler.NextAsync(EventType.OFFERS, Patience)).Offers!.Offers![0];
        var writer = Calls.CommandTask(offer, "writer", "echo persisted > data/file", ResourceBag.Parse("cpus:0.1;mem:32").Add(volume));
        using (var accepted = await scheduler.CallAsync(Accept(offer,
            new OfferOperation { Type = OperationType.RESERVE, Reserve = new ReserveOperation { Resources = reserved.ToWire(ResourceFormat.PreRefinement) } },
            new OfferOperation { Type = OperationType.CREATE, Create = new VolumesOperation { Volumes = volume.ToWire(ResourceFormat.PreRefinement) } },
            new OfferOperation { Type = OperationType.LAUNCH, Launch = new LaunchOperation { TaskInfos = [writer] } })))
        {
            Assert.Equal(TaskState.TASK_FINISHED, (await scheduler.TerminalAsync("writer", Patience)).State);
        }

        var next = await scheduler.NextAsync(e => e.Offers?.Offers?.Any(o => o.Resources!.Any(r => r.Disk?.Persistence?.Id == "vol1")) == true, Patience, "an offer with the volume");
        offer = next.Offers!.Offers!.First(o => o.Resources!.Any(r => r.Disk?.Persistence?.Id == "vol1"));
        var reader = Calls.CommandTask(offer, "reader", "cat data/file", ResourceBag.Parse("cpus:0.1;mem:32").Add(volume));
        using (var accepted = await scheduler.CallAsync(Calls.Launch(offer, reader)))
        {
            Assert.Equal(TaskState.TASK_FINISHED, (await scheduler.TerminalAsync("reader", Patience)).State);
        }

        var stdout = Directory.GetFiles(cluster.Root, "stdout", SearchOption.AllDirectories).Single(p => p.Contains("/executors/reader/", StringComparison.Ordinal));
        Assert.Equal("persisted\n", await File.ReadAllTextAsync(stdout));

        next = await scheduler.NextAsync(e => e.Offers?.Offers?.Any(o => o.Resources!.Any(r => r.Disk?.Persistence?.Id == "vol1")) == true, Patience, "the volume offered again");
        offer = next.Offers!.Offers!.First(o => o.Resources!.Any(r => r.Disk?.Persistence?.Id == "vol1"));
        using (var destroyed = await scheduler.CallAsync(Accept(offer,
            new OfferOperation { Type = OperationType.DESTROY, Destroy = new VolumesOperation { Volumes = volume.ToWire(ResourceFormat.PreRefinement) } })))
        {
            await Eventually.TrueAsync(
                () => !Directory.EnumerateDirectories(cluster.Root, "vol1", SearchOption.AllDirectories).Any(),
                "the destroyed volume's data to be deleted",
                Patience);
        }
    }

    private static Call Accept(Offer offer, params OfferOperation[] operations) => new()
    {
        Type = CallType.ACCEPT,
        Accept = new AcceptCall { OfferIds = [offer.Id!], Operations = [.. operations], Filters = new Filters { RefuseSeconds = 0 } },
    };
}
