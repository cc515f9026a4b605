namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>Resources given as text (the agent's --resources flag) or on the wire were malformed or
/// invalid. The message names the offending part so it can be shown to an operator or returned in a 400
/// body as is.</summary>
public sealed class ResourceFormatException : FormatException
{
    public ResourceFormatException()
    {
    }

    public ResourceFormatException(string message)
        : base(message)
    {
    }

    public ResourceFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
