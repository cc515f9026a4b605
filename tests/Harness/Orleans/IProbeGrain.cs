namespace Mesos.Orleans.Testing.Orleans;

/// <summary>A grain for tests of the silo's plumbing: a persisted counter, which silo it runs on, and a
/// reminder that counts its ticks in the persisted state.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Adds one to the persisted count and returns it.</summary>
    Task<int> IncrementAsync();

    Task<ProbeState> ReadAsync();

    /// <summary>The silo the activation lives on.</summary>
    Task<string> SiloAsync();

    /// <summary>Deactivates after this call, so that the next call activates it again from storage.</summary>
    Task DeactivateAsync();

    /// <summary>A reminder, first due after <paramref name="due"/>.</summary>
    Task ArmReminderAsync(TimeSpan due, TimeSpan period);

    Task DisarmReminderAsync();
}
