namespace Mesos.Orleans.Testing.Orleans;

public sealed class ProbeGrain(
    // "mesos" is the silo's grain storage (Mesos.Orleans.Grains.Storage.GrainStorageName.Mesos).
    [PersistentState("probe", "mesos")] IPersistentState<ProbeState> state) : Grain, IProbeGrain, IRemindable
{
    private const string Reminder = "probe";

    public async Task<int> IncrementAsync()
    {
        state.State.Count++;
        await state.WriteStateAsync();
        return state.State.Count;
    }

    public Task<ProbeState> ReadAsync() => Task.FromResult(state.State);

    public Task<string> SiloAsync() => Task.FromResult(RuntimeIdentity);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task ArmReminderAsync(TimeSpan due, TimeSpan period) => this.RegisterOrUpdateReminder(Reminder, due, period);

    public async Task DisarmReminderAsync()
    {
        if (await this.GetReminder(Reminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Reminded++;
        await state.WriteStateAsync();
    }
}
