using Xunit;

namespace Mesos.Orleans.Testing.Postgres;

/// <summary>
/// xunit fixture sharing one <see cref="TestPostgres"/> across a test collection. Use it via
/// <c>[Collection("postgres")]</c> (the <c>[CollectionDefinition]</c> lives in the test assembly, as xunit 2
/// requires) and give each test its own database with <see cref="CreateDatabaseAsync(CancellationToken)"/>.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>The name of the shared collection.</summary>
    public const string CollectionName = "postgres";

    private TestPostgres? server;

    /// <summary>The running server; available once xunit has initialised the fixture.</summary>
    public TestPostgres Server => server ?? throw new InvalidOperationException("The PostgreSQL fixture is not initialised.");

    /// <summary>Superuser connection string for the server's <c>postgres</c> database.</summary>
    public string ConnectionString => Server.ConnectionString;

    /// <summary>Creates a database named <paramref name="name"/> and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        Server.CreateDatabaseAsync(name, cancellationToken);

    /// <summary>Creates a uniquely named database and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default) =>
        Server.CreateDatabaseAsync(cancellationToken);

    /// <inheritdoc />
    public async Task InitializeAsync() => server = await TestPostgres.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
