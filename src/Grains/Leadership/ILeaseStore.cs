namespace Mesos.Orleans.Grains.Leadership;

/// <summary>The lease row's two operations, each one atomic statement judged by the store's own clock.</summary>
public interface ILeaseStore
{
    /// <summary>Takes the lease with a new term (term + 1) if it has expired; else reports who holds it.</summary>
    Task<LeaseObservation> TryAcquireAsync(string candidate, string address, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Extends the lease if <paramref name="holder"/> still holds it in <paramref name="term"/>; false otherwise.</summary>
    Task<bool> RenewAsync(string holder, long term, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Lets the lease expire now (a leader shutting down cleanly), if still held in that term.</summary>
    Task ReleaseAsync(string holder, long term, CancellationToken cancellationToken);
}
