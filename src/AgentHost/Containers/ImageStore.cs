using System.Collections.Concurrent;
using System.Formats.Tar;
using System.Security.Cryptography;

namespace Mesos.Orleans.AgentHost.Containers;

/// <summary>Unpacked images under work_dir/provisioner, as Mesos's provisioner keeps them: each image's root
/// filesystem once per manifest digest (images/HEX/rootfs, shared read-only by its containers), tarballs of
/// layouts unpacked once per content hash (archives/HEX), and a directory per container (containers/ID) for
/// the writable layer, removed when the container ends.</summary>
public sealed class ImageStore(string workDir, string? registry)
{
    private static readonly string[] MountPoints = ["proc", "dev", "tmp", "mnt/mesos/sandbox"];

    private readonly ConcurrentDictionary<string, Lock> _unpacking = new(StringComparer.Ordinal);

    public string Root { get; } = Path.Combine(workDir, "provisioner");

    /// <summary>The root filesystem of the task's image and the container's own directory; throws with the reason
    /// (no such image, a broken layout, a corrupt blob) when the image cannot be provided.</summary>
    public ContainerRootFs Provision(string imageName, string containerId)
    {
        var source = ImageReference.Resolve(imageName, registry);
        var layout = Directory.Exists(source) ? source : Unarchive(source);
        var (digest, layers) = OciLayout.Read(layout);
        var image = Path.Combine(Root, "images", digest.Split(':')[1]);
        var rootFs = Path.Combine(image, "rootfs");
        lock (_unpacking.GetOrAdd(image, _ => new Lock()))
        {
            if (!Directory.Exists(rootFs))
            {
                Unpack(layers, image);
            }
        }

        var container = Path.Combine(Root, "containers", containerId);
        Directory.CreateDirectory(container);
        return new ContainerRootFs(rootFs, container);
    }

    /// <summary>Forgets a container's writable layer once it has ended (its mounts went with its namespace).</summary>
    public static void Release(ContainerRootFs container)
    {
        if (Directory.Exists(container.ContainerDirectory))
        {
            Directory.Delete(container.ContainerDirectory, recursive: true);
        }
    }

    /// <summary>Layers are applied in a scratch directory renamed into place when complete, so a crash midway
    /// never leaves a half image in the cache.</summary>
    private static void Unpack(IReadOnlyList<string> layers, string image)
    {
        var scratch = image + ".unpacking-" + Guid.NewGuid().ToString("N");
        var rootFs = Path.Combine(scratch, "rootfs");
        Directory.CreateDirectory(rootFs);
        try
        {
            foreach (var layer in layers)
            {
                LayerApplier.Apply(layer, rootFs);
            }

            foreach (var mountPoint in MountPoints)
            {
                Directory.CreateDirectory(Path.Combine(rootFs, mountPoint));
            }

            Directory.Move(scratch, image);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            Directory.Delete(scratch, recursive: true);
            throw new InvalidOperationException($"An image layer is not a valid tar archive: {e.Message}", e);
        }
        catch
        {
            Directory.Delete(scratch, recursive: true);
            throw;
        }
    }

    private string Unarchive(string tarball)
    {
        string hash;
        using (var stream = File.OpenRead(tarball))
        {
            hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        var layout = Path.Combine(Root, "archives", hash);
        lock (_unpacking.GetOrAdd(layout, _ => new Lock()))
        {
            if (!Directory.Exists(layout))
            {
                var scratch = layout + ".unpacking-" + Guid.NewGuid().ToString("N");
                Directory.CreateDirectory(scratch);
                try
                {
                    TarFile.ExtractToDirectory(tarball, scratch, overwriteFiles: false);
                    Directory.Move(scratch, layout);
                }
                catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
                {
                    Directory.Delete(scratch, recursive: true);
                    throw new InvalidOperationException($"Image '{tarball}' is not a tarball of an OCI image layout: {e.Message}", e);
                }
            }
        }

        return layout;
    }
}
