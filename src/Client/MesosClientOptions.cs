namespace Mesos.Orleans.Client;

/// <summary>Where the masters are and how patiently to talk to them.</summary>
public sealed class MesosClientOptions
{
    /// <summary>The masters' base URLs (e.g. <c>http://10.0.0.1:5050</c>), in the order they are tried; any
    /// one of them finds the leader for the others.</summary>
    public IList<Uri> Masters { get; } = [];

    /// <summary>The longest a call (or a subscription, until its first event) may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a TCP connection to a master may take to open before the next master is tried.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first wait before subscribing again after a lost connection; it doubles on each failure.</summary>
    public TimeSpan MinReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between two subscription attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many redirects (a standby master's 307 to the leader) one call follows.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Adds masters by URL, or host:port (taken as http).</summary>
    /// <param name="masters">URLs such as <c>http://10.0.0.1:5050</c>, or <c>10.0.0.1:5050</c>.</param>
    /// <returns>These options.</returns>
    public MesosClientOptions AddMasters(params IEnumerable<string> masters)
    {
        ArgumentNullException.ThrowIfNull(masters);
        foreach (var master in masters)
        {
            Masters.Add(ParseMaster(master));
        }

        return this;
    }

    /// <summary>A master's base URL from a URL or host:port.</summary>
    /// <param name="master">E.g. <c>http://10.0.0.1:5050</c> or <c>10.0.0.1:5050</c>.</param>
    /// <returns>The absolute URL.</returns>
    public static Uri ParseMaster(string master)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(master);
        return new Uri(master.Contains("://", StringComparison.Ordinal) ? master : "http://" + master, UriKind.Absolute);
    }

    internal void Validate()
    {
        if (Masters.Count == 0)
        {
            throw new ArgumentException("MesosClientOptions.Masters must name at least one master");
        }

        if (RequestTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero || MinReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < MinReconnectDelay || MaxRedirects < 0)
        {
            throw new ArgumentException("MesosClientOptions: timeouts and delays must be positive, MaxReconnectDelay at least MinReconnectDelay, MaxRedirects not negative");
        }
    }
}
