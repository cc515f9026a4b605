using Mesos.Orleans.Grains.Storage;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace Mesos.Orleans.UnitTests.Storage;

public sealed class SqliteGrainStorageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("grain-storage-").FullName;
    private readonly SqliteGrainStorage _storage;

    public SqliteGrainStorageTests()
    {
        _storage = new SqliteGrainStorage("mesos", new SqliteGrainStorageOptions
        {
            Path = Path.Combine(_directory, "registry.db"),
            GrainStorageSerializer = new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions())),
        }, TimeProvider.System);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public sealed class Counter
    {
        public int Value { get; set; }

        public string? Note { get; set; }
    }

    private static readonly GrainId Agent = GrainId.Create("agent", "a1");

    [Fact]
    public async Task Nothing_written_reads_as_a_new_state_without_an_etag()
    {
        var state = Empty();

        await _storage.ReadStateAsync("counter", Agent, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, state.State!.Value);
    }

    [Fact]
    public async Task A_write_is_read_back_with_its_etag_by_another_reader()
    {
        var writer = new GrainState<Counter> { State = new Counter { Value = 7, Note = "seven" } };
        await _storage.WriteStateAsync("counter", Agent, writer);
        writer.State!.Value = 8;
        await _storage.WriteStateAsync("counter", Agent, writer);

        var reader = Empty();
        await _storage.ReadStateAsync("counter", Agent, reader);

        Assert.True(reader.RecordExists);
        Assert.Equal(8, reader.State!.Value);
        Assert.Equal("seven", reader.State!.Note);
        Assert.Equal(writer.ETag, reader.ETag);
    }

    [Fact]
    public async Task A_stale_activation_cannot_overwrite_a_newer_state()
    {
        await _storage.WriteStateAsync("counter", Agent, new GrainState<Counter> { State = new Counter { Value = 1 } });
        var stale = Empty();
        var current = Empty();
        await _storage.ReadStateAsync("counter", Agent, stale);
        await _storage.ReadStateAsync("counter", Agent, current);

        current.State!.Value = 2;
        await _storage.WriteStateAsync("counter", Agent, current);
        stale.State!.Value = 99;
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("counter", Agent, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("counter", Agent, stale));

        var after = Empty();
        await _storage.ReadStateAsync("counter", Agent, after);
        Assert.Equal(2, after.State!.Value);
    }

    [Fact]
    public async Task Of_two_first_writes_only_one_lands()
    {
        await _storage.WriteStateAsync("counter", Agent, new GrainState<Counter> { State = new Counter { Value = 1 } });

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteStateAsync("counter", Agent, new GrainState<Counter> { State = new Counter { Value = 2 } }));
    }

    [Fact]
    public async Task Grain_types_and_state_names_never_share_a_row()
    {
        // The ADO.NET provider's keys leave out the grain type (Orleans #9737) and read digit strings as numbers
        // (#9706); this provider keys by the whole grain ID, so neither can collide here.
        var framework = GrainId.Create("framework", "a1");
        var digits = GrainId.Create("agent", "020235");
        var number = GrainId.Create("agent", "20235");
        await _storage.WriteStateAsync("counter", Agent, new GrainState<Counter> { State = new Counter { Value = 1 } });
        await _storage.WriteStateAsync("counter", framework, new GrainState<Counter> { State = new Counter { Value = 2 } });
        await _storage.WriteStateAsync("other", Agent, new GrainState<Counter> { State = new Counter { Value = 3 } });
        await _storage.WriteStateAsync("counter", digits, new GrainState<Counter> { State = new Counter { Value = 4 } });
        await _storage.WriteStateAsync("counter", number, new GrainState<Counter> { State = new Counter { Value = 5 } });

        int[] values =
        [
            await ValueAsync("counter", Agent), await ValueAsync("counter", framework), await ValueAsync("other", Agent),
            await ValueAsync("counter", digits), await ValueAsync("counter", number),
        ];
        Assert.Equal([1, 2, 3, 4, 5], values);
    }

    [Fact]
    public async Task Clear_removes_the_state_and_a_later_write_starts_afresh()
    {
        var state = new GrainState<Counter> { State = new Counter { Value = 5 } };
        await _storage.WriteStateAsync("counter", Agent, state);

        await _storage.ClearStateAsync("counter", Agent, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        var reader = Empty();
        await _storage.ReadStateAsync("counter", Agent, reader);
        Assert.False(reader.RecordExists);
        state.State!.Value = 6;
        await _storage.WriteStateAsync("counter", Agent, state);
        Assert.Equal(6, await ValueAsync("counter", Agent));
    }

    [Fact]
    public async Task An_etag_it_did_not_write_is_refused()
    {
        var forged = new GrainState<Counter> { State = new Counter(), ETag = "W/\"abc\"" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("counter", Agent, forged));
    }

    private static GrainState<Counter> Empty() => new() { State = new Counter() };

    private async Task<int> ValueAsync(string stateName, GrainId grainId)
    {
        var state = Empty();
        await _storage.ReadStateAsync(stateName, grainId, state);
        return state.State!.Value;
    }
}
