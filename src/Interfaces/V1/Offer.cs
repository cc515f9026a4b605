using Orleans;

namespace Mesos.Orleans.Interfaces.V1;

/// <summary>mesos.v1.Offer.</summary>
[GenerateSerializer]
public sealed class Offer
{
    [Id(0)]
    public OfferId? Id { get; set; }

    [Id(1)]
    public FrameworkId? FrameworkId { get; set; }

    [Id(2)]
    public AgentId? AgentId { get; set; }

    [Id(3)]
    public string? Hostname { get; set; }

    /// <summary>Always sent: the npm mesos-framework client dereferences url.address.ip.</summary>
    [Id(4)]
    public Url? Url { get; set; }

    [Id(5)]
    public List<Resource>? Resources { get; set; }

    [Id(6)]
    public List<AgentAttribute>? Attributes { get; set; }

    [Id(7)]
    public List<ExecutorId>? ExecutorIds { get; set; }

    [Id(8)]
    public AllocationInfo? AllocationInfo { get; set; }
}

/// <summary>mesos.v1.Filters; refuse_seconds defaults to 5 and is capped at 365 days.</summary>
[GenerateSerializer]
public sealed class Filters
{
    public const double DefaultRefuseSeconds = 5.0;
    public const double MaxRefuseSeconds = 365 * 24 * 3600;

    [Id(0)]
    public double? RefuseSeconds { get; set; }

    /// <summary>The effective refusal, with Mesos's rules for unset, negative, NaN and huge values.</summary>
    public static TimeSpan EffectiveRefusal(Filters? filters)
    {
        var seconds = filters?.RefuseSeconds ?? DefaultRefuseSeconds;
        if (double.IsNaN(seconds) || seconds < 0)
        {
            seconds = DefaultRefuseSeconds;
        }

        return TimeSpan.FromSeconds(Math.Min(seconds, MaxRefuseSeconds));
    }
}
