using System.Formats.Tar;
using System.IO.Compression;

namespace Mesos.Orleans.AgentHost.Containers;

/// <summary>Applies an image layer (a tar, gzip-compressed or not) on top of a root filesystem being built,
/// with the OCI whiteouts: <c>.wh.NAME</c> deletes NAME from the layers below, <c>.wh..wh..opq</c> empties
/// its directory of what the layers below put there. No entry may reach outside the root: paths with
/// <c>..</c> and paths through a symbolic link are refused.</summary>
public static class LayerApplier
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueWhiteout = ".wh..wh..opq";

    public static void Apply(string layerPath, string root)
    {
        using var file = File.OpenRead(layerPath);
        var gzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        using Stream content = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new TarReader(content);
        var written = new HashSet<string>(StringComparer.Ordinal);
        while (reader.GetNextEntry() is { } entry)
        {
            var relative = Normalize(entry.Name);
            if (relative is null)
            {
                continue;
            }

            var target = Path.Combine(root, relative);
            var parent = Path.GetDirectoryName(target)!;
            EnsureInside(root, parent);
            var name = Path.GetFileName(relative);
            if (name == OpaqueWhiteout)
            {
                EmptyDirectory(parent, written);
                continue;
            }

            if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                Delete(Path.Combine(parent, name[WhiteoutPrefix.Length..]));
                continue;
            }

            Directory.CreateDirectory(parent);
            Write(entry, target, root);
            written.Add(target);
        }
    }

    private static void Write(TarEntry entry, string target, string root)
    {
        var isDirectory = entry.EntryType == TarEntryType.Directory;
        if (!(isDirectory && Directory.Exists(target) && new DirectoryInfo(target).LinkTarget is null))
        {
            Delete(target);
        }

        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                Directory.CreateDirectory(target);
                SetMode(target, entry.Mode);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                using (var output = File.Create(target))
                {
                    entry.DataStream?.CopyTo(output);
                }

                SetMode(target, entry.Mode);
                break;
            case TarEntryType.SymbolicLink:
                File.CreateSymbolicLink(target, entry.LinkName);
                break;
            case TarEntryType.HardLink:
                // The link's target came earlier in this layer or a lower one; a copy has the same content.
                var source = Path.Combine(root, Normalize(entry.LinkName) ?? throw new InvalidOperationException($"Bad hard link '{entry.Name}'"));
                EnsureInside(root, Path.GetDirectoryName(source)!);
                File.Copy(source, target);
                break;
            default:
                // Device nodes and FIFOs: a container gets its /dev from the executor, never from an image.
                break;
        }
    }

    /// <summary>Agents run on Linux; the guard only tells the platform analyzer so.</summary>
    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>The entry's path relative to the root, or null for the root itself; refuses <c>..</c>.</summary>
    private static string? Normalize(string name)
    {
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
        {
            throw new InvalidOperationException($"Image layer entry '{name}' points outside the root filesystem");
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    /// <summary>Refuses a directory reached through a symbolic link: the link could lead out of the root.</summary>
    private static void EnsureInside(string root, string directory)
    {
        var current = directory;
        while (current.Length > root.Length)
        {
            var info = new DirectoryInfo(current);
            if (info.LinkTarget is not null)
            {
                throw new InvalidOperationException($"Image layer writes through the symbolic link '{Path.GetRelativePath(root, current)}'");
            }

            current = Path.GetDirectoryName(current)!;
        }
    }

    private static void EmptyDirectory(string directory, HashSet<string> keep)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var child in Directory.EnumerateFileSystemEntries(directory).Where(c => !keep.Contains(c)).ToList())
        {
            Delete(child);
        }
    }

    private static void Delete(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || File.Exists(path))
        {
            info.Delete();
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
