namespace Mesos.Orleans.Interfaces.V1;

public enum HealthCheckType
{
    UNKNOWN = 0,
    COMMAND = 1,
    HTTP = 2,
    TCP = 3,
}

/// <summary>mesos.v1.HealthCheck, with Mesos's defaults: delay 15 s, interval 10 s, timeout 20 s,
/// 3 consecutive failures, grace period 10 s.</summary>
public sealed class HealthCheck
{
    public HealthCheckType? Type { get; set; }

    public CommandInfo? Command { get; set; }

    public HttpCheck? Http { get; set; }

    public TcpCheck? Tcp { get; set; }

    public double? DelaySeconds { get; set; }

    public double? IntervalSeconds { get; set; }

    public double? TimeoutSeconds { get; set; }

    public int? ConsecutiveFailures { get; set; }

    public double? GracePeriodSeconds { get; set; }
}

public sealed class HttpCheck
{
    public int? Port { get; set; }

    public string? Path { get; set; }

    public string? Scheme { get; set; }

    public List<int>? Statuses { get; set; }
}

public sealed class TcpCheck
{
    public int? Port { get; set; }
}
