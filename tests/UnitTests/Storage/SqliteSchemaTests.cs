using Mesos.Orleans.Grains.Storage;
using Microsoft.Data.Sqlite;

namespace Mesos.Orleans.UnitTests.Storage;

public sealed class SqliteSchemaTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sqlite-schema-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Openers_racing_on_a_new_file_apply_each_migration_once()
    {
        // The registry, the grain storage and the reminder table of one or more silos open the file together.
        string path = string.Empty;
        for (var round = 0; round < 6; round++)
        {
            path = Path.Combine(_directory, $"registry-{round}.db");
            using var start = new Barrier(8);
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                start.SignalAndWait();
                await SqliteSchema.OpenAsync(path, CancellationToken.None);
            })));
        }

        await using var connection = new SqliteConnection(await SqliteSchema.OpenAsync(path, CancellationToken.None));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT version), MIN(version) FROM schema_version";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
        Assert.True(reader.GetInt64(0) >= 4);
        Assert.Equal(1, reader.GetInt64(2));
    }
}
