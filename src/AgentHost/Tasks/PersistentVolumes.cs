using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>Persistent volumes on this agent, laid out as Mesos does (work_dir/volumes/roles/ROLE/ID) and
/// linked into a task's sandbox at the volume's container path, as Mesos's posix filesystem isolator does:
/// the data stays when the task ends and is there for the next task that uses the volume.</summary>
public static class PersistentVolumes
{
    public static string PathOf(string workDir, string role, string id) =>
        Path.Combine(workDir, "volumes", "roles", role.Replace('/', '#'), id);

    /// <summary>Creates the task's volumes if new and links them into its sandbox.</summary>
    public static void Link(RunningTask task, string workDir)
    {
        foreach (var entry in ResourceBag.FromWire(task.Info.Resources).PersistentVolumes().Entries)
        {
            var disk = entry.Key.Disk!;
            var volume = PathOf(workDir, entry.Key.ReservationRole, disk.Id);
            Directory.CreateDirectory(volume);
            var link = Path.GetFullPath(Path.Combine(task.Sandbox, disk.ContainerPath!));
            if (!link.StartsWith(Path.GetFullPath(task.Sandbox) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Volume container path '{disk.ContainerPath}' leaves the sandbox");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            if (!Path.Exists(link))
            {
                Directory.CreateSymbolicLink(link, volume);
            }
        }
    }

    /// <summary>DESTROY: the volumes' data is deleted.</summary>
    public static void Destroy(string workDir, List<Resource>? volumes)
    {
        foreach (var entry in ResourceBag.FromWire(volumes).PersistentVolumes().Entries)
        {
            var path = PathOf(workDir, entry.Key.ReservationRole, entry.Key.Disk!.Id);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }
}
