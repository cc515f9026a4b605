using Mesos.Orleans.Client.Http;
using Mesos.Orleans.Client.Operator;
using Mesos.Orleans.Client.Scheduler;
using Mesos.Orleans.Interfaces.Client;

namespace Mesos.Orleans.Client;

/// <summary>The cluster, from one or more master URLs: typed operator views, the event stream and
/// schedulers. Thread-safe; one instance per application (or registered with
/// <c>services.AddMesosClient(...)</c>).</summary>
public sealed class MesosClient : IMesosClient, IDisposable
{
    /// <summary>The name of the <see cref="HttpClient"/> the DI registration configures for the client.</summary>
    public const string HttpClientName = "Mesos.Orleans.Client";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly MesosClientOptions _options;
    private readonly TimeProvider _time;
    private readonly MasterRouter _router;

    /// <summary>A client with its own HTTP connections.</summary>
    /// <param name="options">The masters and timeouts.</param>
    /// <param name="time">The clock for timeouts and backoff; the system's when null.</param>
    public MesosClient(MesosClientOptions options, TimeProvider? time = null)
        : this(new HttpClient(CreateHandler(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan }, ownsHttp: true, options, time)
    {
    }

    /// <summary>A client over an <see cref="HttpClient"/> provided by the caller (e.g. from
    /// <c>IHttpClientFactory</c>); it must not follow redirects itself (see <see cref="CreateHandler"/>) and
    /// its own timeout must be infinite, since subscriptions stream for as long as they live.</summary>
    /// <param name="http">The HTTP client; not disposed by this client.</param>
    /// <param name="options">The masters and timeouts.</param>
    /// <param name="time">The clock for timeouts and backoff; the system's when null.</param>
    public MesosClient(HttpClient http, MesosClientOptions options, TimeProvider? time = null)
        : this(http, ownsHttp: false, options, time)
    {
    }

    private MesosClient(HttpClient http, bool ownsHttp, MesosClientOptions options, TimeProvider? time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _ownsHttp = ownsHttp;
        _options = options;
        _time = time ?? TimeProvider.System;
        _router = new MasterRouter(http, options, _time);
        var api = new OperatorApi(_router);
        Frameworks = new ClusterFrameworks(api);
        Roles = new ClusterRoles(api);
        Agents = new ClusterAgents(api);
        Tasks = new ClusterTasks(api);
        Events = new ClusterEvents(api, options, _time);
    }

    /// <summary>A client for the given masters, with default timeouts.</summary>
    /// <param name="masters">The masters' URLs, or host:port.</param>
    /// <returns>The client, which the caller disposes.</returns>
    public static MesosClient Create(params IEnumerable<string> masters) => new(new MesosClientOptions().AddMasters(masters));

    /// <inheritdoc/>
    public IFrameworks Frameworks { get; }

    /// <inheritdoc/>
    public IRoles Roles { get; }

    /// <inheritdoc/>
    public IAgents Agents { get; }

    /// <inheritdoc/>
    public ITasks Tasks { get; }

    /// <inheritdoc/>
    public IClusterEvents Events { get; }

    /// <summary>The master that answered last: the leader, as far as this client knows.</summary>
    public Uri? Leader => _router.Leader;

    /// <summary>The HTTP handler the client needs: redirects are followed by the client itself (a standby's
    /// 307 names the leader, which the client remembers), and connecting to a dead master gives up soon.</summary>
    /// <param name="options">The options whose connect timeout applies.</param>
    /// <returns>A new handler.</returns>
    public static SocketsHttpHandler CreateHandler(MesosClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
    }

    /// <inheritdoc/>
    public IMesosScheduler CreateScheduler(SchedulerOptions? options = null) =>
        new MesosScheduler(_http, _router, _options, options ?? new SchedulerOptions(), _time);

    /// <inheritdoc/>
    public Task<Uri> FindLeaderAsync(CancellationToken cancellationToken = default) => _router.FindLeaderAsync(cancellationToken);

    /// <summary>Closes the client's own HTTP connections (a caller-provided <see cref="HttpClient"/> is left open).</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
