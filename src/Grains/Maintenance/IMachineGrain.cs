namespace Mesos.Orleans.Grains.Maintenance;

/// <summary>A machine's grain, keyed by <see cref="MachineGrain.KeyOf"/>: whether it is down for maintenance,
/// durably. Every write names the master's term and is refused once a newer master activation exists.</summary>
public interface IMachineGrain : IGrainWithStringKey
{
    Task SetDown(long term, bool down, DateTimeOffset at);
}
