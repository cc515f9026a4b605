using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace Mesos.Orleans.IntegrationTests.Compatibility;

/// <summary>Runs a program to completion with a deadline, keeping its output (and echoing it to the test's
/// output, which xunit shows when a test fails). At the deadline the program and its children are killed.</summary>
internal static class ProcessRun
{
    public static async Task<Result> RunAsync(
        string program,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan deadline,
        ITestOutputHelper? output,
        string? name = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var label = name ?? Path.GetFileName(program);
        var all = new ConcurrentQueue<string>();
        var stdout = new ConcurrentQueue<string>();
        using var process = new Process { StartInfo = start };
        var stdoutClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderrClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                stdoutClosed.TrySetResult();
                return;
            }

            stdout.Enqueue(e.Data);
            Keep(all, output, label, e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                stderrClosed.TrySetResult();
                return;
            }

            Keep(all, output, label, "stderr: " + e.Data);
        };

        var clock = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var timedOut = false;
        using (var cts = new CancellationTokenSource(deadline))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                Keep(all, output, label, $"*** still running after {deadline.TotalSeconds:0.#} s: killing it and its children");
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        // The pipes may close a moment after the exit (a child could hold them); don't wait on them forever.
        await Task.WhenAny(Task.WhenAll(stdoutClosed.Task, stderrClosed.Task), Task.Delay(TimeSpan.FromSeconds(5)));
        return new Result(timedOut ? -1 : process.ExitCode, timedOut, clock.Elapsed, [.. stdout], string.Join('\n', all));
    }

    private static void Keep(ConcurrentQueue<string> lines, ITestOutputHelper? output, string label, string line)
    {
        lines.Enqueue(line);
        try
        {
            output?.WriteLine($"[{label}] {line}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output can no longer be written.
        }
    }

    /// <summary>How a run ended: <see cref="ExitCode"/> is -1 when <see cref="TimedOut"/>.</summary>
    public sealed record Result(int ExitCode, bool TimedOut, TimeSpan Elapsed, IReadOnlyList<string> StdoutLines, string Output)
    {
        /// <summary>The stdout lines that start with <paramref name="keyword"/> and a space, without that prefix.</summary>
        public IReadOnlyList<string> Lines(string keyword) =>
            [.. StdoutLines.Where(l => l.StartsWith(keyword + " ", StringComparison.Ordinal)).Select(l => l[(keyword.Length + 1)..])];
    }
}
