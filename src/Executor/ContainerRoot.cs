namespace Mesos.Orleans.Executor;

/// <summary>Builds the container's view of the world inside its new mount namespace, as Mesos's unified
/// containerizer does: the image's root filesystem under a writable overlay of the container's own, /proc of
/// the new PID namespace, a minimal /dev, a /tmp, the sandbox at /mnt/mesos/sandbox, then chroot into it.
/// Every mount is private to the namespace and goes away with its last process.</summary>
internal static class ContainerRoot
{
    public const string SandboxInside = "/mnt/mesos/sandbox";

    private static readonly string[] Devices = ["null", "zero", "full", "random", "urandom", "tty"];

    public static void Enter(string rootFs, string containerDir, string sandbox)
    {
        Check(Libc.Mount(null, "/", null, Libc.MS_REC | Libc.MS_PRIVATE, null), "make mounts private");
        var upper = Path.Combine(containerDir, "upper");
        var work = Path.Combine(containerDir, "work");
        var root = Path.Combine(containerDir, "rootfs");
        Directory.CreateDirectory(upper);
        Directory.CreateDirectory(work);
        Directory.CreateDirectory(root);
        Check(Libc.Mount("overlay", root, "overlay", 0, $"lowerdir={rootFs},upperdir={upper},workdir={work}"), $"mount the image {rootFs}");

        var proc = Inside(root, "proc");
        Check(Libc.Mount("proc", proc, "proc", Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC, null), "mount /proc");
        Check(Libc.Mount("tmpfs", Inside(root, "tmp"), "tmpfs", Libc.MS_NOSUID | Libc.MS_NODEV, "mode=1777"), "mount /tmp");

        var dev = Inside(root, "dev");
        Check(Libc.Mount("tmpfs", dev, "tmpfs", Libc.MS_NOSUID, "mode=755"), "mount /dev");
        foreach (var device in Devices.Where(d => File.Exists("/dev/" + d)))
        {
            var node = Path.Combine(dev, device);
            File.WriteAllBytes(node, []);
            Check(Libc.Mount("/dev/" + device, node, null, Libc.MS_BIND, null), $"bind /dev/{device}");
        }

        File.CreateSymbolicLink(Path.Combine(dev, "fd"), "/proc/self/fd");
        File.CreateSymbolicLink(Path.Combine(dev, "stdin"), "/proc/self/fd/0");
        File.CreateSymbolicLink(Path.Combine(dev, "stdout"), "/proc/self/fd/1");
        File.CreateSymbolicLink(Path.Combine(dev, "stderr"), "/proc/self/fd/2");

        Check(Libc.Mount(sandbox, Inside(root, SandboxInside.TrimStart('/')), null, Libc.MS_BIND | Libc.MS_REC, null), "bind the sandbox");
        Check(Libc.ChRoot(root), "chroot into the image");
        Check(Libc.ChDir(SandboxInside), "enter the sandbox");
    }

    /// <summary>A directory of the container's root, made in its writable layer when the image lacks it. Still
    /// outside the chroot here, so a symbolic link anywhere on the way (an image whose /proc points at the
    /// host's /etc, say) would send the mount, or the directory creation, onto the host: refused.</summary>
    private static string Inside(string root, string relative)
    {
        var path = root;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path = Path.Combine(path, part);
            var info = new DirectoryInfo(path);
            if (info.LinkTarget is not null || (!info.Exists && File.Exists(path)))
            {
                throw new InvalidOperationException($"The image's /{relative} is not a plain directory (at {path}); refusing to mount over it");
            }

            if (!info.Exists)
            {
                Directory.CreateDirectory(path);
            }
        }

        return path;
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new InvalidOperationException(Libc.Describe($"Failed to {what}"));
        }
    }
}
