using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Mesos.Orleans.Interfaces.Json;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Benchmarks.Takeover;

/// <summary>The framework of the takeover benchmark, in a process of its own (<c>takeover-probe URL</c>): the
/// benchmark's own process runs thousands of simulated agents, whose reconnection storm would delay a
/// SUBSCRIBE sent from there by seconds before it even left, and that would be counted as the master's.
/// It prints <c>ready</c> once started, waits for a line on its standard input (written right after the
/// kill), then sends SUBSCRIBE every 10 ms (each attempt on a fresh connection, given up after 2 s) and prints
/// <c>accepted UNIX_MS</c> (wall clock, the benchmark's too) at the first 200.</summary>
internal static class SubscribeProbe
{
    public static int Run(Uri master) => RunAsync(master).GetAwaiter().GetResult();

    /// <summary>Starts the probe as a child process of this benchmark and waits for its <c>ready</c>.</summary>
    public static async Task<Process> StartAsync(Uri master)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SubscribeProbe).Assembly.Location);
        }

        start.ArgumentList.Add("takeover-probe");
        start.ArgumentList.Add(master.ToString());
        var probe = Process.Start(start)!;
        if (await probe.StandardOutput.ReadLineAsync() != "ready")
        {
            throw new InvalidOperationException("The SUBSCRIBE probe did not start");
        }

        return probe;
    }

    /// <summary>Starts the probe's SUBSCRIBE attempts.</summary>
    public static async Task GoAsync(Process probe)
    {
        await probe.StandardInput.WriteLineAsync("go");
        await probe.StandardInput.FlushAsync();
    }

    /// <summary>When the probe's SUBSCRIBE was accepted.</summary>
    public static async Task<DateTimeOffset> AcceptedAsync(Process probe)
    {
        var line = await probe.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The SUBSCRIBE probe ended without an answer");
        return DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(line.AsSpan("accepted ".Length), CultureInfo.InvariantCulture));
    }

    private static async Task<int> RunAsync(Uri master)
    {
        Console.WriteLine("ready");
        if (await Console.In.ReadLineAsync() is null)
        {
            return 1;
        }

        while (!await TryAsync(master))
        {
            await Task.Delay(10);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accepted {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}"));
        return 0;
    }

    private static async Task<bool> TryAsync(Uri master)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var call = new Call { Type = CallType.SUBSCRIBE, Subscribe = new SubscribeCall { FrameworkInfo = new FrameworkInfo { User = "bench", Name = "takeover" } } };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(master, "/api/v1/scheduler")) { Content = new ByteArrayContent(MesosJson.SerializeToUtf8(call)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
