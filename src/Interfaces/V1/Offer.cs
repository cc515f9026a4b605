namespace Mesos.Orleans.Interfaces.V1;

/// <summary>mesos.v1.Offer.</summary>
public sealed class Offer
{
    public OfferId? Id { get; set; }

    public FrameworkId? FrameworkId { get; set; }

    public AgentId? AgentId { get; set; }

    public string? Hostname { get; set; }

    /// <summary>Always sent: the npm mesos-framework client dereferences url.address.ip.</summary>
    public Url? Url { get; set; }

    public List<Resource>? Resources { get; set; }

    public List<AgentAttribute>? Attributes { get; set; }

    public List<ExecutorId>? ExecutorIds { get; set; }

    public AllocationInfo? AllocationInfo { get; set; }
}

/// <summary>mesos.v1.Filters; refuse_seconds defaults to 5 and is capped at 365 days.</summary>
public sealed class Filters
{
    public const double DefaultRefuseSeconds = 5.0;
    public const double MaxRefuseSeconds = 365 * 24 * 3600;

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
