using Mesos.Orleans.Grains.Master;
using Mesos.Orleans.Silo.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Mesos.Orleans.IntegrationTests.Cluster;

/// <summary>An Orleans client outside the silos, finding their gateways in the cluster's PostgreSQL as a .NET
/// service would.</summary>
internal sealed class ExternalClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private ExternalClusterClient(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<ExternalClusterClient> ConnectAsync(string database)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.Services.AddSerializer(serializer => serializer.AddMesosWireTypes());
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = new Silo.Cluster.SiloOptions().ClusterId;
                options.ServiceId = SiloSetup.ServiceId;
            });
            client.UseAdoNetClustering(clustering =>
            {
                clustering.Invariant = SiloSetup.NpgsqlInvariant;
                clustering.ConnectionString = database;
            });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new ExternalClusterClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
