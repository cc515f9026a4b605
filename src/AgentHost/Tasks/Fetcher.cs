using System.Diagnostics;
using System.Net.Http;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>Mesos's fetcher: every URI of a task's command lands in its sandbox before the command starts —
/// a local path (or file:// URI) is copied, an http(s) URL downloaded; archives are extracted unless
/// <c>extract</c> is false; <c>executable</c> makes the file runnable; <c>output_file</c> renames it.</summary>
public static class Fetcher
{
    private static readonly string[] Archives = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".txz", ".zip"];

    public static async Task FetchAsync(IEnumerable<CommandUri> uris, string sandbox, HttpClient http, CancellationToken cancellationToken)
    {
        foreach (var uri in uris)
        {
            if (string.IsNullOrEmpty(uri.Value))
            {
                throw new InvalidOperationException("A URI has no value");
            }

            var name = uri.OutputFile is { Length: > 0 } output ? output : Path.GetFileName(new Uri(uri.Value, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(uri.Value).AbsolutePath : uri.Value);
            var target = Path.GetFullPath(Path.Combine(sandbox, name));
            if (!target.StartsWith(Path.GetFullPath(sandbox) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"URI output '{name}' leaves the sandbox");
            }

            await DownloadAsync(uri.Value, target, http, cancellationToken).ConfigureAwait(false);
            if (uri.Executable == true && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, File.GetUnixFileMode(target) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
            else if (uri.Extract != false && Archives.Any(a => target.EndsWith(a, StringComparison.OrdinalIgnoreCase)))
            {
                await ExtractAsync(target, sandbox, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task DownloadAsync(string value, string target, HttpClient http, CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Fetching '{value}' answered {(int)response.StatusCode}");
            }

            await using var file = File.Create(target);
            await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            return;
        }

        var path = uri is { IsFile: true } ? uri.LocalPath : value;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Fetching '{value}': no such file", path);
        }

        File.Copy(path, target, overwrite: true);
    }

    private static async Task ExtractAsync(string archive, string sandbox, CancellationToken cancellationToken)
    {
        var zip = archive.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(zip ? "unzip" : "tar") { WorkingDirectory = sandbox, RedirectStandardError = true };
        foreach (var argument in zip ? ["-q", "-o", archive, "-d", sandbox] : new[] { "-xf", archive, "-C", sandbox })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}");
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Extracting '{Path.GetFileName(archive)}' failed: {errors.Trim()}");
        }
    }
}
