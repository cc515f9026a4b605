using System.Net;

namespace Mesos.Orleans.Client;

/// <summary>The master refused a call; <see cref="StatusCode"/> and the master's own reason say why.</summary>
public sealed class MesosCallException : Exception
{
    public MesosCallException(HttpStatusCode statusCode, string reason)
        : base($"The master answered {(int)statusCode} {statusCode}: {reason}")
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    public MesosCallException()
    {
        Reason = string.Empty;
    }

    public MesosCallException(string message)
        : base(message)
    {
        Reason = message;
    }

    public MesosCallException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    public HttpStatusCode StatusCode { get; }

    public string Reason { get; }
}
