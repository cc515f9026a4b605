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

    private static string PathOf(string workDir) => Path.Combine(workDir, "meta", "agent_id");
}
