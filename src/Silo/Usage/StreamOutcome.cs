namespace Mesos.Orleans.Silo.Usage;

/// <summary>Where a usage stream stands after the receiver read from it.</summary>
internal enum StreamOutcome
{
    /// <summary>Read to its end for now; epoll names it when more bytes arrive.</summary>
    Open,

    /// <summary>Stopped at the per-tick bound with bytes left: read again at the next tick.</summary>
    Unfinished,

    /// <summary>Ended (and closed).</summary>
    Ended,
}
