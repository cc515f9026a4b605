using System.Net;
using Mesos.Orleans.Interfaces.Client;

namespace Mesos.Orleans.Client.Http;

/// <summary>Sends requests to the leading master. The last leader is tried first, then every known master
/// in order; a standby's redirect (307 with the leader in Location) is followed, and a master that cannot
/// be reached or knows no leader (503) passes the request on to the next. The leader that answers is
/// remembered, so leadership moves are followed without configuration changes.</summary>
internal sealed class MasterRouter
{
    private readonly HttpClient _http;
    private readonly IReadOnlyList<Uri> _masters;
    private readonly int _maxRedirects;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private Uri? _leader;
    private Uri? _distrusted;

    public MasterRouter(HttpClient http, MesosClientOptions options, TimeProvider time)
    {
        _http = http;
        _masters = [.. options.Masters.Select(BaseOf)];
        _maxRedirects = options.MaxRedirects;
        _timeout = options.RequestTimeout;
        _time = time;
    }

    /// <summary>The master that answered last, if any.</summary>
    public Uri? Leader => Volatile.Read(ref _leader);

    public IReadOnlyList<Uri> Masters => _masters;

    /// <summary>A master that answered as leader but must not be followed (its leader term is older than one
    /// already seen): it is tried last until another master answers.</summary>
    public void Distrust(Uri master)
    {
        Volatile.Write(ref _distrusted, master);
        Interlocked.CompareExchange(ref _leader, null, master);
    }

    /// <summary>Sends a request built for a master's base URL to the leader and returns its answer (which the
    /// caller disposes) with the leader's URL.</summary>
    /// <exception cref="MesosConnectionException">No master answered as leader.</exception>
    public async Task<(HttpResponseMessage Response, Uri Master)> SendAsync(
        Func<Uri, HttpRequestMessage> create, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        Exception? last = null;
        foreach (var candidate in Candidates())
        {
            var target = candidate;
            for (var hop = 0; ; hop++)
            {
                if (hop > _maxRedirects)
                {
                    failures.Add($"{candidate}: more than {_maxRedirects} redirects");
                    break;
                }

                // Each master gets its own deadline: one that hangs passes the request on instead of failing it.
                HttpResponseMessage response;
                using var deadline = new CallDeadline(_timeout, _time, cancellationToken);
                try
                {
                    using var request = create(target);
                    response = await _http.SendAsync(request, completion, deadline.Token).ConfigureAwait(false);
                }
                catch (HttpRequestException e)
                {
                    last = e;
                    failures.Add($"{target}: {e.Message}");
                    break;
                }
                catch (OperationCanceledException e) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
                {
                    last = e;
                    failures.Add($"{target}: no answer within {_timeout}");
                    break;
                }

                if (IsRedirect(response.StatusCode) && LeaderFrom(target, response.Headers.Location) is { } leader)
                {
                    response.Dispose();
                    target = leader;
                    continue;
                }

                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    using (response)
                    {
                        var reason = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
                        last = new MesosCallException(response.StatusCode, reason);
                        failures.Add($"{target}: 503 {reason}");
                    }

                    break;
                }

                Volatile.Write(ref _leader, target);
                if (target != Volatile.Read(ref _distrusted))
                {
                    Volatile.Write(ref _distrusted, null);
                }

                return (response, target);
            }
        }

        Volatile.Write(ref _leader, null);
        throw new MesosConnectionException($"No leading master among {string.Join(", ", _masters)}: {string.Join("; ", failures)}", last);
    }

    /// <summary>The leader named by a master's <c>/redirect</c> (Mesos answers 307 with <c>//host:port</c>).</summary>
    /// <exception cref="MesosConnectionException">No master named a leader.</exception>
    public async Task<Uri> FindLeaderAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        Exception? last = null;
        foreach (var candidate in Candidates())
        {
            using var deadline = new CallDeadline(_timeout, _time, cancellationToken);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(candidate, "/redirect"));
                using var response = await _http.SendAsync(request, deadline.Token).ConfigureAwait(false);
                if (IsRedirect(response.StatusCode) && LeaderFrom(candidate, response.Headers.Location) is { } leader)
                {
                    Volatile.Write(ref _leader, leader);
                    return leader;
                }

                failures.Add($"{candidate}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false)}");
            }
            catch (HttpRequestException e)
            {
                last = e;
                failures.Add($"{candidate}: {e.Message}");
            }
            catch (OperationCanceledException e) when (deadline.Expired && !cancellationToken.IsCancellationRequested)
            {
                last = e;
                failures.Add($"{candidate}: no answer within {_timeout}");
            }
        }

        throw new MesosConnectionException($"No master among {string.Join(", ", _masters)} named a leader: {string.Join("; ", failures)}", last);
    }

    /// <summary>The scheme and authority of a Location (absolute, protocol-relative as Mesos sends it, or
    /// relative to <paramref name="from"/>), without its path: requests are built from base URLs.</summary>
    internal static Uri? LeaderFrom(Uri from, Uri? location) => Interfaces.Http.LeaderLocation.BaseOf(from, location);

    private static Uri BaseOf(Uri url) => new(url.GetLeftPart(UriPartial.Authority) + "/");

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
        or HttpStatusCode.Found or HttpStatusCode.MovedPermanently;

    private IEnumerable<Uri> Candidates()
    {
        var leader = Leader;
        var distrusted = Volatile.Read(ref _distrusted);
        if (leader is not null && leader != distrusted)
        {
            yield return leader;
        }

        foreach (var master in _masters.Where(m => m != leader && m != distrusted))
        {
            yield return master;
        }

        if (distrusted is not null)
        {
            yield return distrusted;
        }
    }
}
