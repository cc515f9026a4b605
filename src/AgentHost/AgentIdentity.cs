using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost;

/// <summary>The agent ID the master assigned, kept in work_dir/meta/agent_id so that a restarted agent
/// reregisters as itself.</summary>
public static class AgentIdentity
{
    public static AgentId? Load(string workDir)
    {
        var path = PathOf(workDir);
        return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } id ? new AgentId(id) : null;
    }

    public static void Save(string workDir, AgentId id)
    {
        var path = PathOf(workDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, id.Value);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>True when the host rebooted since the agent last ran here (its boot id changed): the old
    /// tasks are gone, so the agent forgets its ID and checkpoints and registers as a new agent, as Mesos's
    /// agent does. Records the current boot id either way.</summary>
    public static bool HostRebooted(string workDir, string bootIdFile = "/proc/sys/kernel/random/boot_id")
    {
        if (!File.Exists(bootIdFile))
        {
            return false;
        }

        var current = File.ReadAllText(bootIdFile).Trim();
        var recorded = Path.Combine(workDir, "meta", "boot_id");
        var rebooted = File.Exists(recorded) && File.ReadAllText(recorded).Trim() != current;
        Directory.CreateDirectory(Path.GetDirectoryName(recorded)!);
        File.WriteAllText(recorded, current);
        if (rebooted)
        {
            File.Delete(PathOf(workDir));
            var tasks = Path.Combine(workDir, "meta", "tasks");
            if (Directory.Exists(tasks))
            {
                Directory.Delete(tasks, recursive: true);
            }
        }

        return rebooted;
    }

    private static string PathOf(string workDir) => Path.Combine(workDir, "meta", "agent_id");
}
