namespace Mesos.Orleans.Interfaces.Client;

/// <summary>No master could be reached, none of those reached knew a leader, or the scheduler is between
/// two subscriptions. Calls failing with it may be retried once a master leads again.</summary>
public sealed class MesosConnectionException : Exception
{
    /// <summary>A connection failure without details.</summary>
    public MesosConnectionException()
    {
    }

    /// <summary>A connection failure described by <paramref name="message"/>.</summary>
    /// <param name="message">What could not be reached.</param>
    public MesosConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>A connection failure described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What could not be reached.</param>
    /// <param name="innerException">The last error seen.</param>
    public MesosConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
