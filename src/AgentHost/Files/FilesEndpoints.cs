using System.Text.Json.Nodes;

namespace Mesos.Orleans.AgentHost.Files;

/// <summary>The agent's /files endpoints as Mesos has them: read (with offset and length, -1 offset
/// meaning "tell me the size"), download and browse, confined to the agent's work directory.</summary>
public static class FilesEndpoints
{
    /// <summary>The most /files/read returns at once; Mesos pages large files the same way.</summary>
    public const long MaxReadLength = 1024 * 1024;

    public static void Map(IEndpointRouteBuilder app, AgentOptions options)
    {
        app.MapGet("/files/read", (string? path, long? offset, long? length) => Read(options, path, offset, length));
        app.MapGet("/files/read.json", (string? path, long? offset, long? length) => Read(options, path, offset, length));
        app.MapGet("/files/download", (string? path) => Download(options, path));
        app.MapGet("/files/download.json", (string? path) => Download(options, path));
        app.MapGet("/files/browse", (string? path) => Browse(options, path));
        app.MapGet("/files/browse.json", (string? path) => Browse(options, path));
    }

    private static IResult Read(AgentOptions options, string? path, long? offset, long? length)
    {
        if (Resolve(options, path, out var full) is { } error)
        {
            return error;
        }

        if (!File.Exists(full))
        {
            return Results.NotFound($"File '{path}' not found");
        }

        if (offset < -1 || length < -1)
        {
            return Results.BadRequest("Negative 'offset' or 'length'");
        }

        using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var size = file.Length;

        // Mesos: offset -1 (or absent) answers the file's size with empty data.
        if (offset is null or -1)
        {
            return Results.Json(new JsonObject { ["data"] = string.Empty, ["offset"] = size });
        }

        var start = Math.Min(offset.Value, size);
        var count = (int)Math.Min(Math.Min(length is null or -1 ? MaxReadLength : length.Value, MaxReadLength), size - start);
        var buffer = new byte[count];
        file.Position = start;
        file.ReadExactly(buffer);
        return Results.Json(new JsonObject { ["data"] = System.Text.Encoding.UTF8.GetString(buffer), ["offset"] = start });
    }

    private static IResult Download(AgentOptions options, string? path)
    {
        if (Resolve(options, path, out var full) is { } error)
        {
            return error;
        }

        return File.Exists(full)
            ? Results.File(full, "application/octet-stream", Path.GetFileName(full))
            : Results.NotFound($"File '{path}' not found");
    }

    private static IResult Browse(AgentOptions options, string? path)
    {
        if (Resolve(options, path, out var full) is { } error)
        {
            return error;
        }

        if (!Directory.Exists(full))
        {
            return Results.NotFound($"Directory '{path}' not found");
        }

        var entries = new JsonArray();
        foreach (var entry in new DirectoryInfo(full).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            entries.Add(new JsonObject
            {
                ["path"] = entry.FullName,
                ["size"] = entry is FileInfo f ? f.Length : 0,
                ["mtime"] = new DateTimeOffset(entry.LastWriteTimeUtc).ToUnixTimeSeconds(),
                ["mode"] = entry is DirectoryInfo ? "drwxr-xr-x" : "-rw-r--r--",
                ["nlink"] = 1,
            });
        }

        return Results.Json(entries);
    }

    /// <summary>Only paths inside the work directory are served: no traversal out of it.</summary>
    private static IResult? Resolve(AgentOptions options, string? path, out string full)
    {
        full = string.Empty;
        if (string.IsNullOrEmpty(path))
        {
            return Results.BadRequest("Expecting 'path' to be present");
        }

        var root = Path.GetFullPath(options.WorkDir) + Path.DirectorySeparatorChar;
        full = Path.GetFullPath(path);
        return full.StartsWith(root, StringComparison.Ordinal) || full + Path.DirectorySeparatorChar == root
            ? null
            : Results.NotFound($"Path '{path}' is not inside the agent's work directory");
    }
}
