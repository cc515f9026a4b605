using Mesos.Orleans.Grains.Registry;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Registry;

public sealed class SqliteRegistryTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("registry-");

    [Fact]
    public async Task What_was_written_is_there_after_reopening_the_file()
    {
        var path = Path.Combine(_dir.FullName, "nested", "registry.db");
        var at = DateTimeOffset.UnixEpoch;
        var first = await SqliteRegistry.OpenAsync(path, CancellationToken.None);
        await first.AdmitAgentAsync(new AgentId("a1"), new AgentInfo { Hostname = "h1", Port = 5051 }, at, CancellationToken.None);
        await first.AddFrameworkAsync(new FrameworkId("f1"), new FrameworkInfo { User = "u", Name = "kept", FailoverTimeout = 60 }, at, CancellationToken.None);
        await first.AddFrameworkAsync(new FrameworkId("f2"), new FrameworkInfo { User = "u", Name = "gone" }, at, CancellationToken.None);
        await first.RemoveFrameworkAsync(new FrameworkId("f2"), at, CancellationToken.None);

        var reopened = await SqliteRegistry.OpenAsync(path, CancellationToken.None);
        var snapshot = await reopened.LoadAsync(CancellationToken.None);

        var agent = Assert.Single(snapshot.Agents);
        Assert.Equal("h1", agent.Info.Hostname);
        Assert.Equal("active", agent.State);
        Assert.Equal(
            [("f1", "kept", false), ("f2", "gone", true)],
            snapshot.Frameworks.Select(f => (f.Id.Value, f.Info.Name!, f.Removed)).ToList());
        Assert.Equal(60, snapshot.Frameworks[0].Info.FailoverTimeout);
    }

    [Fact]
    public async Task Readmitting_an_agent_updates_it_in_place()
    {
        var registry = await SqliteRegistry.OpenAsync(Path.Combine(_dir.FullName, "r.db"), CancellationToken.None);
        await registry.AdmitAgentAsync(new AgentId("a1"), new AgentInfo { Hostname = "old" }, DateTimeOffset.UnixEpoch, CancellationToken.None);
        await registry.AdmitAgentAsync(new AgentId("a1"), new AgentInfo { Hostname = "new" }, DateTimeOffset.UnixEpoch, CancellationToken.None);

        var agent = Assert.Single((await registry.LoadAsync(CancellationToken.None)).Agents);
        Assert.Equal("new", agent.Info.Hostname);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }
}
