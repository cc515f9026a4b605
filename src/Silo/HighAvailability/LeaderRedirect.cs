namespace Mesos.Orleans.Silo.HighAvailability;

/// <summary>How a standby answers what only the leader may do, as Mesos does: 307 with a protocol-relative
/// Location (host and port always present, the request's own path and query), or 503 when no leader is known
/// (or when this master has just been elected and its leader's host is not serving yet).</summary>
public static class LeaderRedirect
{
    public static async Task WriteAsync(HttpContext context, HaContext ha, bool keepPath = true)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (ha.Elector.CurrentTerm is not null)
        {
            // Elected, and the leader's host is about to replace this one on the same port: a redirect to
            // ourselves would only come back here.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("This master is taking over as leader");
            return;
        }

        if (ha.LeaderAddress is not { } leader)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("No leader elected");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
        context.Response.Headers.Location = keepPath ? $"//{leader}{context.Request.Path}{context.Request.QueryString}" : $"//{leader}";
        await context.Response.WriteAsync($"This master is a standby; the leader is at {leader}");
    }
}
