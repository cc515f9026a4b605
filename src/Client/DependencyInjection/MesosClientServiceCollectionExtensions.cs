using Mesos.Orleans.Interfaces.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mesos.Orleans.Client.DependencyInjection;

/// <summary>Registers the Mesos client in a service collection.</summary>
public static class MesosClientServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IMesosClient"/> (a singleton <see cref="MesosClient"/>) and its parts
    /// (<see cref="IFrameworks"/>, <see cref="IRoles"/>, <see cref="IAgents"/>, <see cref="ITasks"/>,
    /// <see cref="IClusterEvents"/>), over a named <see cref="HttpClient"/> from <c>IHttpClientFactory</c>
    /// that leaves redirects and timeouts to the client. A registered <see cref="TimeProvider"/> is used,
    /// else the system's.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Names the masters and sets timeouts.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddMesosClient(this IServiceCollection services, Action<MesosClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<MesosClientOptions>().Configure(configure);
        services.AddHttpClient(MesosClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => MesosClient.CreateHandler(provider.GetRequiredService<IOptions<MesosClientOptions>>().Value));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new MesosClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(MesosClient.HttpClientName),
            provider.GetRequiredService<IOptions<MesosClientOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IMesosClient>(provider => provider.GetRequiredService<MesosClient>());
        services.TryAddSingleton(provider => provider.GetRequiredService<IMesosClient>().Frameworks);
        services.TryAddSingleton(provider => provider.GetRequiredService<IMesosClient>().Roles);
        services.TryAddSingleton(provider => provider.GetRequiredService<IMesosClient>().Agents);
        services.TryAddSingleton(provider => provider.GetRequiredService<IMesosClient>().Tasks);
        services.TryAddSingleton(provider => provider.GetRequiredService<IMesosClient>().Events);
        return services;
    }

    /// <summary>Registers the client for the given masters with default timeouts; see the other overload.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="masters">The masters' URLs, or host:port.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddMesosClient(this IServiceCollection services, params string[] masters) =>
        services.AddMesosClient(options => options.AddMasters(masters));
}
