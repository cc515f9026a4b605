using System.Diagnostics;
using System.Net.Sockets;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>A task's health check with Mesos's semantics: first check after <c>delay_seconds</c>, then every
/// <c>interval_seconds</c>, each bounded by <c>timeout_seconds</c>; failures inside <c>grace_period_seconds</c>
/// do not count until the task has once been healthy; each change of health is reported (TASK_RUNNING with
/// <c>healthy</c>), and <c>consecutive_failures</c> failures in a row kill the task.</summary>
public sealed class HealthChecker(RunningTask task, HealthCheck check, TimeProvider time, HttpClient client)
{
    public async Task RunAsync(Func<bool, Task> reportHealth, Action killUnhealthy, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var grace = Seconds(check.GracePeriodSeconds, 10);
        var allowed = check.ConsecutiveFailures ?? 3;
        bool? healthy = null;
        var everHealthy = false;
        var failures = 0;
        try
        {
            await Task.Delay(Seconds(check.DelaySeconds, 15), time, cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                if (await CheckOnceAsync(cancellationToken).ConfigureAwait(false))
                {
                    failures = 0;
                    everHealthy = true;
                    if (healthy != true)
                    {
                        healthy = true;
                        await reportHealth(true).ConfigureAwait(false);
                    }
                }
                else if (everHealthy || time.GetUtcNow() - started >= grace)
                {
                    failures++;
                    if (healthy != false)
                    {
                        healthy = false;
                        await reportHealth(false).ConfigureAwait(false);
                    }

                    if (allowed > 0 && failures >= allowed)
                    {
                        killUnhealthy();
                        return;
                    }
                }

                await Task.Delay(Seconds(check.IntervalSeconds, 10), time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The task ended; so does its health check.
        }
    }

    private async Task<bool> CheckOnceAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Seconds(check.TimeoutSeconds, 20));
        try
        {
            return check.Type switch
            {
                HealthCheckType.COMMAND => await CommandAsync(timeout.Token).ConfigureAwait(false),
                HealthCheckType.HTTP => await HttpAsync(timeout.Token).ConfigureAwait(false),
                HealthCheckType.TCP => await TcpAsync(timeout.Token).ConfigureAwait(false),
                _ => false,
            };
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or SocketException or IOException)
        {
            return false;
        }
    }

    private async Task<bool> CommandAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = task.Sandbox, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(check.Command!.Value!);
        foreach (var variable in check.Command.Environment?.Variables ?? [])
        {
            if (variable.Name is { Length: > 0 } name)
            {
                start.Environment[name] = variable.Value ?? string.Empty;
            }
        }

        using var process = Process.Start(start) ?? throw new IOException("The health check command did not start");
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode == 0;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    private async Task<bool> HttpAsync(CancellationToken cancellationToken)
    {
        var http = check.Http!;
        var url = new Uri($"{http.Scheme ?? "http"}://127.0.0.1:{http.Port}{(http.Path is { Length: > 0 } path && path[0] == '/' ? path : "/" + http.Path)}");
        using var response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
        var code = (int)response.StatusCode;
        return http.Statuses is { Count: > 0 } statuses ? statuses.Contains(code) : code is >= 200 and < 400;
    }

    private async Task<bool> TcpAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", check.Tcp!.Port!.Value, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static TimeSpan Seconds(double? value, double fallback) => TimeSpan.FromSeconds(value ?? fallback);
}
