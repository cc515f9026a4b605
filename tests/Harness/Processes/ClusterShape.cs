using System.Globalization;
using Mesos.Orleans.Testing.Postgres;

namespace Mesos.Orleans.Testing.Processes;

/// <summary>The master that <see cref="MesosCluster.StartAsync"/> gives every test: one embedded silo (the
/// default), or, with <c>MESOS_TEST_SILOS=N</c> (N ≥ 2), N silos clustered on a throwaway PostgreSQL behind a
/// <see cref="RoundRobinProxy"/>, so that the same suites run against a real multi-silo cluster with each
/// framework's stream and calls on different silos.</summary>
public static class ClusterShape
{
    public const string SilosVariable = "MESOS_TEST_SILOS";

    private static readonly Lazy<Task<TestPostgres>> Server = new(() => TestPostgres.StartAsync());

    /// <summary>How many silos each test cluster runs.</summary>
    public static int Silos { get; } =
        int.TryParse(Environment.GetEnvironmentVariable(SilosVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var silos) && silos > 1
            ? silos
            : 1;

    /// <summary>A fresh database on the one PostgreSQL server this test process shares among its clusters
    /// (started on first use; <see cref="TestPostgres"/> stops it when the process exits).</summary>
    public static async Task<string> CreateDatabaseAsync() =>
        await (await Server.Value.ConfigureAwait(false)).CreateDatabaseAsync().ConfigureAwait(false);
}
