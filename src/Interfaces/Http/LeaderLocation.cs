namespace Mesos.Orleans.Interfaces.Http;

/// <summary>Reads the leader out of a standby master's redirect. Mesos answers 307 with a protocol-relative
/// <c>Location: //host:port/path</c>; absolute and relative locations are accepted too.</summary>
public static class LeaderLocation
{
    /// <summary>The leader's base URL (<c>scheme://host:port/</c>) named by <paramref name="location"/>, as
    /// answered by the master at <paramref name="from"/>; null when it names no host.</summary>
    public static Uri? BaseOf(Uri from, Uri? location)
    {
        if (location is null)
        {
            return null;
        }

        if (!location.IsAbsoluteUri && location.OriginalString.StartsWith("//", StringComparison.Ordinal))
        {
            location = new Uri(from.Scheme + ":" + location.OriginalString, UriKind.Absolute);
        }

        var absolute = location.IsAbsoluteUri ? location : new Uri(from, location);
        return string.IsNullOrEmpty(absolute.Host) ? null : new Uri(absolute.GetLeftPart(UriPartial.Authority) + "/");
    }
}
