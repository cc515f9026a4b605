using Mesos.Orleans.Grains.Storage;

namespace Mesos.Orleans.UnitTests.Storage;

public sealed class SqliteReminderTableTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reminders-").FullName;
    private readonly SqliteReminderTable _table;

    public SqliteReminderTableTests() => _table = new SqliteReminderTable(Path.Combine(_directory, "registry.db"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ReminderEntry Entry(string key, string name = "failover") => new()
    {
        GrainId = GrainId.Create("framework", key),
        ReminderName = name,
        StartAt = new DateTime(2026, 12, 5, 12, 0, 0, DateTimeKind.Utc),
        Period = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public async Task An_upserted_reminder_reads_back_and_each_upsert_changes_its_etag()
    {
        await _table.StartAsync();
        var first = await _table.UpsertRow(Entry("f1"));
        var second = await _table.UpsertRow(Entry("f1"));

        var row = await _table.ReadRow(GrainId.Create("framework", "f1"), "failover");

        Assert.NotNull(row);
        Assert.NotEqual(first, second);
        Assert.Equal(second, row.ETag);
        Assert.Equal(new DateTime(2026, 12, 5, 12, 0, 0, DateTimeKind.Utc), row.StartAt);
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.Equal(TimeSpan.FromMinutes(1), row.Period);
        Assert.Single((await _table.ReadRows(GrainId.Create("framework", "f1"))).Reminders);
    }

    [Fact]
    public async Task A_removal_with_an_older_etag_leaves_the_reminder()
    {
        var old = await _table.UpsertRow(Entry("f1"));
        var current = await _table.UpsertRow(Entry("f1"));
        var grain = GrainId.Create("framework", "f1");

        Assert.False(await _table.RemoveRow(grain, "failover", old!));
        Assert.NotNull(await _table.ReadRow(grain, "failover"));
        Assert.True(await _table.RemoveRow(grain, "failover", current!));
        Assert.Null(await _table.ReadRow(grain, "failover"));
    }

    [Fact]
    public async Task Ring_ranges_select_by_grain_hash_and_wrap_around()
    {
        var entries = Enumerable.Range(0, 40).Select(i => Entry($"f{i}")).ToList();
        foreach (var entry in entries)
        {
            await _table.UpsertRow(entry);
        }

        var hashes = entries.Select(e => e.GrainId.GetUniformHashCode()).Order().ToList();
        var begin = hashes[10];
        var end = hashes[30];

        var inside = await _table.ReadRows(begin, end);
        var wrapped = await _table.ReadRows(end, begin);

        Assert.Equal(20, inside.Reminders.Count);
        Assert.All(inside.Reminders, r => Assert.InRange(r.GrainId.GetUniformHashCode(), begin + 1, end));
        Assert.Equal(20, wrapped.Reminders.Count);
        Assert.Empty(inside.Reminders.Select(r => r.GrainId).Intersect(wrapped.Reminders.Select(r => r.GrainId)));
    }
}
