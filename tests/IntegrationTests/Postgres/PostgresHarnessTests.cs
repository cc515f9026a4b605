using System.Globalization;
using System.Text.RegularExpressions;
using Mesos.Orleans.Testing.Postgres;
using Mesos.Orleans.Testing.Waiting;
using Npgsql;

namespace Mesos.Orleans.IntegrationTests.Postgres;

[Collection(PostgresFixture.CollectionName)]
public sealed class PostgresHarnessTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Server_answers_select_version()
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select version()", connection);

        var version = (string?)await command.ExecuteScalarAsync();

        Assert.NotNull(version);
        Assert.StartsWith("PostgreSQL ", version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fresh_database_round_trips_rows()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        await using (var create = new NpgsqlCommand("create table items (id int primary key, name text not null)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var insert = new NpgsqlCommand("insert into items (id, name) values (@id, @name)", connection))
        {
            insert.Parameters.AddWithValue("id", 1);
            insert.Parameters.AddWithValue("name", "one");
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        await using var select = new NpgsqlCommand("select name from items where id = 1", connection);
        Assert.Equal("one", await select.ExecuteScalarAsync());
        Assert.Equal(new NpgsqlConnectionStringBuilder(connectionString).Database, connection.Database);
    }

    [Fact]
    public async Task Databases_are_isolated_from_each_other()
    {
        var first = await postgres.CreateDatabaseAsync("isolation_first");
        var second = await postgres.CreateDatabaseAsync("isolation_second");

        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("create table only_in_first (id int)", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using (var connection = new NpgsqlConnection(second))
        {
            await connection.OpenAsync();
            await using var probe = new NpgsqlCommand("select to_regclass('only_in_first') is null", connection);
            Assert.Equal(true, await probe.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task Creating_an_existing_database_fails()
    {
        await postgres.CreateDatabaseAsync("created_twice");

        var error = await Assert.ThrowsAsync<PostgresException>(() => postgres.CreateDatabaseAsync("created_twice"));

        Assert.Equal(PostgresErrorCodes.DuplicateDatabase, error.SqlState);
    }

    [Fact]
    public async Task Invalid_database_names_are_rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => postgres.CreateDatabaseAsync("bad\"name"));
    }
}

/// <summary>Tests that own their server; outside the shared collection, so they run in parallel with it.</summary>
public sealed class TestPostgresLifecycleTests
{
    [Fact]
    public async Task Dispose_stops_the_server_and_removes_its_directory()
    {
        var server = await TestPostgres.StartAsync();
        var root = server.RootDirectory;
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString;
        Assert.True(Directory.Exists(server.DataDirectory));
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
        }

        var postmasterPid = int.Parse(File.ReadLines(Path.Combine(server.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

        await server.DisposeAsync();

        Assert.False(Directory.Exists(root));
        // Not by connecting: another test's server may already have been given the same port.
        Assert.False(IsRunning(postmasterPid), $"postmaster {postmasterPid} still running");
        await server.DisposeAsync(); // idempotent
    }

    /// <summary>Alive and not a zombie (an exited postmaster waits for its adoptive parent to reap it).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var state = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(line => line.StartsWith("State:", StringComparison.Ordinal));
            return state is not null && !state.Contains('Z', StringComparison.Ordinal) && !state.Contains('X', StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Several_servers_start_in_parallel()
    {
        var servers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TestPostgres.StartAsync()));
        try
        {
            Assert.Equal(3, servers.Select(s => s.Port).Distinct().Count());
            Assert.Equal(3, servers.Select(s => s.RootDirectory).Distinct().Count());
            foreach (var server in servers)
            {
                await using var connection = new NpgsqlConnection(server.ConnectionString);
                await connection.OpenAsync();
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Start_retries_on_another_port_when_the_port_is_taken()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;

        await using var server = await TestPostgres.StartAsync(new TestPostgresOptions { PreferredPort = taken });

        Assert.NotEqual(taken, server.Port);
        Assert.Contains("could not bind", server.ReadLog(), StringComparison.OrdinalIgnoreCase);
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
    }

    [Fact]
    public async Task Start_failure_reports_the_server_log_and_cleans_up()
    {
        var options = new TestPostgresOptions { Settings = new Dictionary<string, string> { ["shared_buffers"] = "'not a size'" } };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestPostgres.StartAsync(options));

        Assert.Contains("server log", error.Message, StringComparison.Ordinal);
        Assert.Contains("shared_buffers", error.Message, StringComparison.Ordinal);
        var root = Regex.Match(error.Message, @"data (/\S+/mesos-pg-[0-9a-f]{12})/data").Groups[1].Value;
        Assert.NotEmpty(root);
        Assert.False(Directory.Exists(root), $"{root} was left behind");
    }
}

public sealed class EventuallyTests
{
    [Fact]
    public async Task Returns_once_the_condition_holds()
    {
        var calls = 0;

        await Eventually.TrueAsync(() => Interlocked.Increment(ref calls) >= 3, "three calls", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Times_out_naming_what_was_awaited_and_the_last_error()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Eventually.TrueAsync(
            new Func<bool>(() => throw new InvalidOperationException("not yet")),
            "the impossible",
            TimeSpan.FromMilliseconds(100)));

        Assert.Contains("the impossible", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public async Task ValueAsync_returns_the_first_non_null_value()
    {
        var calls = 0;

        var value = await Eventually.ValueAsync<string>(
            _ => Task.FromResult(Interlocked.Increment(ref calls) >= 2 ? "ready" : null),
            "a value");

        Assert.Equal("ready", value);
    }
}
