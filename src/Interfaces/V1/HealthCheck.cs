using Orleans;

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
[GenerateSerializer]
public sealed class HealthCheck
{
    [Id(0)]
    public HealthCheckType? Type { get; set; }

    [Id(1)]
    public CommandInfo? Command { get; set; }

    [Id(2)]
    public HttpCheck? Http { get; set; }

    [Id(3)]
    public TcpCheck? Tcp { get; set; }

    [Id(4)]
    public double? DelaySeconds { get; set; }

    [Id(5)]
    public double? IntervalSeconds { get; set; }

    [Id(6)]
    public double? TimeoutSeconds { get; set; }

    [Id(7)]
    public int? ConsecutiveFailures { get; set; }

    [Id(8)]
    public double? GracePeriodSeconds { get; set; }
}

[GenerateSerializer]
public sealed class HttpCheck
{
    [Id(0)]
    public int? Port { get; set; }

    [Id(1)]
    public string? Path { get; set; }

    [Id(2)]
    public string? Scheme { get; set; }

    [Id(3)]
    public List<int>? Statuses { get; set; }
}

[GenerateSerializer]
public sealed class TcpCheck
{
    [Id(0)]
    public int? Port { get; set; }
}
