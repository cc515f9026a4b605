using System.Security.Cryptography;
using System.Text.Json;

namespace Mesos.Orleans.AgentHost.Containers;

/// <summary>Reads an OCI image layout (https://github.com/opencontainers/image-spec, image-layout.md):
/// index.json names a manifest by digest, the manifest lists the layer blobs in order, every blob lives under
/// blobs/ALGORITHM/HEX and is checked against its digest before it is used.</summary>
public static class OciLayout
{
    private const string IndexMediaType = "application/vnd.oci.image.index.v1+json";

    /// <summary>The manifest's digest (which names the unpacked image in the cache) and its layer blobs, lowest first.</summary>
    public static (string ManifestDigest, IReadOnlyList<string> LayerPaths) Read(string layout)
    {
        var indexPath = Path.Combine(layout, "index.json");
        if (!File.Exists(indexPath))
        {
            throw new InvalidOperationException($"'{layout}' is not an OCI image layout: it has no index.json");
        }

        using var index = Parse(File.ReadAllBytes(indexPath), indexPath);
        var descriptor = ManifestOf(index.RootElement, indexPath);
        var digest = descriptor.GetProperty("digest").GetString()!;
        var mediaType = descriptor.TryGetProperty("mediaType", out var m) ? m.GetString() : null;
        if (mediaType == IndexMediaType)
        {
            // A nested index (a multi-platform image): take its manifest for this platform.
            using var nested = Parse(Blob(layout, digest), digest);
            descriptor = ManifestOf(nested.RootElement, digest);
            digest = descriptor.GetProperty("digest").GetString()!;
        }

        using var manifest = Parse(Blob(layout, digest), digest);
        if (!manifest.RootElement.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException($"The image manifest {digest} lists no layers");
        }

        var paths = new List<string>();
        foreach (var layer in layers.EnumerateArray())
        {
            var layerDigest = layer.TryGetProperty("digest", out var d) && d.GetString() is { } text
                ? text
                : throw new InvalidOperationException($"A layer of manifest {digest} has no digest");
            var path = BlobPath(layout, layerDigest);
            Verify(path, layerDigest);
            paths.Add(path);
        }

        return (digest, paths);
    }

    private static JsonElement ManifestOf(JsonElement index, string where)
    {
        if (!index.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array || manifests.GetArrayLength() == 0)
        {
            throw new InvalidOperationException($"{where} lists no manifests");
        }

        foreach (var manifest in manifests.EnumerateArray())
        {
            if (!manifest.TryGetProperty("platform", out var platform)
                || (platform.TryGetProperty("os", out var os) && os.GetString() == "linux"
                    && platform.TryGetProperty("architecture", out var arch) && arch.GetString() == HostArchitecture()))
            {
                return manifest.TryGetProperty("digest", out _) ? manifest : throw new InvalidOperationException($"A manifest in {where} has no digest");
            }
        }

        throw new InvalidOperationException($"{where} has no manifest for linux/{HostArchitecture()}");
    }

    private static string HostArchitecture() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static byte[] Blob(string layout, string digest)
    {
        var path = BlobPath(layout, digest);
        Verify(path, digest);
        return File.ReadAllBytes(path);
    }

    private static string BlobPath(string layout, string digest)
    {
        var parts = digest.Split(':');
        if (parts.Length != 2 || parts[0] != "sha256" || parts[1].Length != 64 || !parts[1].All(char.IsAsciiHexDigitLower))
        {
            throw new InvalidOperationException($"Unsupported digest '{digest}': expected sha256:<64 hex digits>");
        }

        var path = Path.Combine(layout, "blobs", "sha256", parts[1]);
        return File.Exists(path) ? path : throw new InvalidOperationException($"The image layout has no blob {digest}");
    }

    private static void Verify(string path, string digest)
    {
        using var stream = File.OpenRead(path);
        var actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
        if (actual != digest)
        {
            throw new InvalidOperationException($"Blob {digest} is corrupt: its content hashes to {actual}");
        }
    }

    private static JsonDocument Parse(byte[] json, string where)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{where} is not valid JSON: {e.Message}", e);
        }
    }
}
