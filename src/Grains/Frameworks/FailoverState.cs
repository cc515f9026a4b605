namespace Mesos.Orleans.Grains.Frameworks;

/// <summary>What <see cref="FrameworkGrain"/> stores.</summary>
[GenerateSerializer]
public sealed class FailoverState
{
    /// <summary>When the disconnected framework is removed; none while it is connected.</summary>
    [Id(0)]
    public DateTimeOffset? Deadline { get; set; }
}
