using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mesos.Orleans.IntegrationTests.Client;

/// <summary>A stand-in for a standby master, answering as Mesos's standby does: every API request gets 307
/// with the leader's address in Location (protocol-relative, path kept), or 503 while no leader is known.
/// The project's master gains its own standby mode with the HA work; this keeps the client's
/// leader-following tested against the documented answers until then.</summary>
internal sealed class StandbyMaster : IAsyncDisposable
{
    private WebApplication? _app;
    private Uri? _leader;

    private StandbyMaster(Uri url, Uri? leader)
    {
        Url = url;
        _leader = leader;
    }

    public Uri Url { get; }

    /// <summary>The leader it redirects to; null while no leader is known. May change while it runs.</summary>
    public Uri? Leader
    {
        get => Volatile.Read(ref _leader);
        set => Volatile.Write(ref _leader, value);
    }

    /// <summary>Starts one on a free loopback port; <paramref name="leader"/> null means "no leader known".</summary>
    public static async Task<StandbyMaster> StartAsync(Uri? leader)
    {
        var port = Testing.Processes.FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var standby = new StandbyMaster(new Uri($"http://127.0.0.1:{port}"), leader);
        app.Run(context =>
        {
            if (standby.Leader is not { } leader)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return context.Response.WriteAsync("No leader elected");
            }

            var path = context.Request.Path.Value == "/redirect" ? string.Empty : context.Request.Path.Value;
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = $"//{leader.Authority}{path}";
            return Task.CompletedTask;
        });
        await app.StartAsync();
        standby._app = app;
        return standby;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
