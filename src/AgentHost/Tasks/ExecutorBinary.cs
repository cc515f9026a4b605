namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>Finds mesos-executor, the per-task supervisor every task runs under: in Mesos's --launcher_dir,
/// else beside the agent's own binary (where the build puts it).</summary>
public static class ExecutorBinary
{
    public const string Name = "mesos-executor";

    /// <summary>The executor's path; throws at agent start, with what to do, when it is not there.</summary>
    public static string Locate(string? launcherDir)
    {
        var directory = launcherDir ?? AppContext.BaseDirectory;
        var path = Path.GetFullPath(Path.Combine(directory, Name));
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The task executor '{path}' does not exist: build src/AgentHost (it publishes src/Executor natively beside the agent) or point --launcher_dir at the directory holding {Name}");
        }

        return path;
    }
}
