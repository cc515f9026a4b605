using System.Net;

namespace Mesos.Orleans.Interfaces.Client;

/// <summary>The master refused a call; <see cref="StatusCode"/> and the master's own reason say why.</summary>
public sealed class MesosCallException : Exception
{
    /// <summary>A refusal with the master's status code and plain-text reason.</summary>
    /// <param name="statusCode">The HTTP status the master answered.</param>
    /// <param name="reason">The body of the answer: Mesos's reason for the refusal.</param>
    public MesosCallException(HttpStatusCode statusCode, string reason)
        : base($"The master answered {(int)statusCode} {statusCode}: {reason}")
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>A refusal without details.</summary>
    public MesosCallException()
    {
        Reason = string.Empty;
    }

    /// <summary>A refusal described by <paramref name="message"/>.</summary>
    /// <param name="message">What was refused and why.</param>
    public MesosCallException(string message)
        : base(message)
    {
        Reason = message;
    }

    /// <summary>A refusal described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What was refused and why.</param>
    /// <param name="innerException">The cause.</param>
    public MesosCallException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>The HTTP status the master answered.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The master's reason, as plain text.</summary>
    public string Reason { get; }
}
