using Mesos.Orleans.Silo.Cluster;
using Mesos.Orleans.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.IntegrationTests.Cluster;

/// <summary>Silos configured as mesos-master configures them with --cluster postgres, hosted in this test
/// process on loopback ports of their own, and stopped with the test.</summary>
internal sealed class PostgresSiloCluster(string connectionString) : IAsyncDisposable
{
    private readonly List<IHost> _silos = [];

    public IReadOnlyList<IHost> Silos => _silos;

    public async Task<IHost> StartSiloAsync()
    {
        var options = new SiloOptions
        {
            Cluster = SiloOptions.Postgres,
            ConnectionString = connectionString,
            SiloPort = FreePort.Next(),
            GatewayPort = FreePort.Next(),
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => SiloSetup.Configure(silo, options, "127.0.0.1", workDir: string.Empty));
        var host = builder.Build();
        _silos.Add(host);
        await host.StartAsync();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await silo.StopAsync(stopping.Token);
            silo.Dispose();
        }
    }
}
