using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Mesos.Orleans.IntegrationTests.Containers;

/// <summary>Builds a tiny OCI image layout from Debian's busybox-static, with correct sha256 digests: a first
/// layer with /bin/busybox, its applet links and an /etc marking the image, and a second layer that deletes
/// a file of the first with a whiteout and adds one of its own.</summary>
public static class BusyboxImage
{
    public const string Busybox = "/bin/busybox";
    public const string Marker = "tiny busybox image";

    private static readonly string[] Applets = ["sh", "cat", "echo", "ls", "id", "test", "sleep", "ps", "stat", "readlink"];

    /// <summary>Writes the layout into <paramref name="directory"/>; <paramref name="hostileTmp"/> makes the
    /// image's /tmp a symbolic link to the host's /etc, as a malicious image would.</summary>
    public static void WriteLayout(string directory, bool hostileTmp = false)
    {
        EnsureBusybox();
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var first = Layer(writer =>
        {
            AddDirectory(writer, "bin/");
            AddDirectory(writer, "etc/");
            AddFile(writer, "bin/busybox", File.ReadAllBytes(Busybox), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            foreach (var applet in Applets)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" });
            }

            AddFile(writer, "etc/os-release", Encoding.UTF8.GetBytes($"NAME=\"{Marker}\"\n"));
            if (hostileTmp)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "tmp") { LinkName = "/etc" });
            }

            AddFile(writer, "etc/removed-by-layer-2", Encoding.UTF8.GetBytes("should be gone\n"));
        });
        var second = Layer(writer =>
        {
            AddFile(writer, "etc/.wh.removed-by-layer-2", []);
            AddFile(writer, "etc/added-by-layer-2", Encoding.UTF8.GetBytes("layer 2\n"));
        });

        var layers = new JsonArray();
        var diffIds = new JsonArray();
        foreach (var (compressed, uncompressed) in new[] { first, second })
        {
            layers.Add(Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", WriteBlob(blobs, compressed), compressed.Length));
            diffIds.Add("sha256:" + Convert.ToHexStringLower(SHA256.HashData(uncompressed)));
        }

        var config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds },
        }.ToJsonString());
        var manifest = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", WriteBlob(blobs, config), config.Length),
            ["layers"] = layers,
        }.ToJsonString());
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(Descriptor("application/vnd.oci.image.manifest.v1+json", WriteBlob(blobs, manifest), manifest.Length)),
        };
        File.WriteAllText(Path.Combine(directory, "index.json"), index.ToJsonString());
        File.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    /// <summary>Packs a layout written by <see cref="WriteLayout"/> into a tarball at <paramref name="tarball"/>.</summary>
    public static void WriteTarball(string layout, string tarball) =>
        TarFile.CreateFromDirectory(layout, tarball, includeBaseDirectory: false);

    /// <summary>The image is built from the host's static busybox: Debian's busybox-static, installed when missing.</summary>
    private static void EnsureBusybox()
    {
        if (File.Exists(Busybox))
        {
            return;
        }

        Run("apt-get", "install", "-y", "-q", "busybox-static");
        if (!File.Exists(Busybox))
        {
            Run("apt-get", "update", "-q");
            Run("apt-get", "install", "-y", "-q", "busybox-static");
        }
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _ = process.StandardOutput.ReadToEnd();
        _ = process.StandardError.ReadToEnd();
        process.WaitForExit();
    }

    private static (byte[] Compressed, byte[] Uncompressed) Layer(Action<TarWriter> write)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(tar.ToArray());
        }

        return (gzipped.ToArray(), tar.ToArray());
    }

    private static void AddDirectory(TarWriter writer, string name) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 });

    private static void AddFile(TarWriter writer, string name, byte[] content, UnixFileMode mode = (UnixFileMode)0b110_100_100) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode, DataStream = new MemoryStream(content) });

    private static string WriteBlob(string blobs, byte[] content)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(content));
        File.WriteAllBytes(Path.Combine(blobs, hex), content);
        return "sha256:" + hex;
    }

    private static JsonObject Descriptor(string mediaType, string digest, long size) =>
        new() { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = size };
}
