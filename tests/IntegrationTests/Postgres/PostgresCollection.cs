using Mesos.Orleans.Testing.Postgres;

namespace Mesos.Orleans.IntegrationTests.Postgres;

/// <summary>Tests in <c>[Collection("postgres")]</c> share one throwaway PostgreSQL server.</summary>
[CollectionDefinition(PostgresFixture.CollectionName)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
