using Mesos.Orleans.Interfaces.V1;
using Orleans.Concurrency;

namespace Mesos.Orleans.Grains.Frameworks;

/// <summary>A framework's grain, keyed by its framework ID. It keeps the framework's durable record (its
/// FrameworkInfo, and whether it was removed), and its failover deadline as durable state and an Orleans
/// reminder, so that a disconnected framework is removed when its failover_timeout runs out even if the
/// master's silo dies first. Record writes name the master's term and are refused once a newer master
/// activation exists.</summary>
public interface IFrameworkGrain : IGrainWithStringKey
{
    // The record's writes interleave with the failover methods: a reminder that found the deadline passed waits
    // on the master, which removes the framework and writes its record before it answers. They touch the record
    // state only, never the failover state, and the master makes them one at a time.

    /// <summary>Records the framework, or its new FrameworkInfo; a removed framework stays removed.</summary>
    [AlwaysInterleave]
    Task Add(long term, FrameworkInfo info, DateTimeOffset at);

    /// <summary>Records that the framework was removed; a framework never added is left unrecorded.</summary>
    [AlwaysInterleave]
    Task MarkRemoved(long term, DateTimeOffset at);

    /// <summary>See <see cref="Core.IFailoverDeadlines.StartAsync"/>.</summary>
    Task StartFailover(long term, DateTimeOffset deadline);

    /// <summary>See <see cref="Core.IFailoverDeadlines.ExpectAsync"/>.</summary>
    Task ExpectAfterRecovery(long term, DateTimeOffset grace, DateTimeOffset deadline);

    /// <summary>See <see cref="Core.IFailoverDeadlines.CancelAsync"/>.</summary>
    Task CancelFailover(long term);

    /// <summary>The deadline kept, if any.</summary>
    Task<DateTimeOffset?> GetFailoverDeadline();
}
