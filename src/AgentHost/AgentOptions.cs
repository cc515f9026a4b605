namespace Mesos.Orleans.AgentHost;

/// <summary>The agent's settings, with Mesos's flag names.</summary>
public sealed class AgentOptions
{
    /// <summary>The master's URL, e.g. http://127.0.0.1:5050 (the first of <see cref="Masters"/>).</summary>
    public Uri Master { get; set; } = new("http://127.0.0.1:5050");

    /// <summary>Every master of an HA group (<c>--master=host1:5050,host2:5050</c>); the agent finds the leader
    /// among them and follows redirects.</summary>
    public IReadOnlyList<Uri> Masters { get; set; } = [new("http://127.0.0.1:5050")];

    public string Ip { get; set; } = "127.0.0.1";

    public string Hostname { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 5051;

    public string WorkDir { get; set; } = "./.work/agent";

    /// <summary>Mesos syntax (cpus:4;mem:2048;ports:[31000-32000];cpus(eng):1); overrides what is detected.</summary>
    public string? Resources { get; set; }

    /// <summary>Mesos syntax: rack:r1;zone:z2.</summary>
    public string? Attributes { get; set; }

    /// <summary>The kill grace period when a task's kill policy gives none (Mesos's command executor: 3 s).</summary>
    public TimeSpan DefaultKillGracePeriod { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>First retry of an unacknowledged status update; doubles up to <see cref="MaxStatusUpdateRetry"/>.</summary>
    public TimeSpan StatusUpdateRetry { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxStatusUpdateRetry { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Mesos's --isolation: "cgroups" (a cgroup per task: cpu, memory, pids; the default where the
    /// agent runs as root on a host with cgroups) or "posix" (processes only, no limits).</summary>
    public string? Isolation { get; set; }

    /// <summary>Mesos's --recover: "reconnect" (adopt the tasks still running after an agent restart) or
    /// "cleanup" (kill them).</summary>
    public string Recover { get; set; } = "reconnect";

    /// <summary>Mesos's --switch_user: run each task as its command's (or framework's) user.</summary>
    public bool SwitchUser { get; set; } = true;

    /// <summary>The pids limit of each task's cgroup (0: none), which stops fork bombs.</summary>
    public long TaskPidsLimit { get; set; } = 4096;

    /// <summary>How often each task's cgroup and the host are sampled and a usage report sent to the master.</summary>
    public TimeSpan UsageInterval { get; set; } = Usage.UsageInterval.Default;

    /// <summary>Mesos's --launcher_dir: where mesos-executor is (default: beside the agent's binary).</summary>
    public string? LauncherDir { get; set; }

    /// <summary>How many executors the agent keeps started ahead of launches (0: each launch starts its own), so
    /// that a task's launch does not wait for an executor's runtime to start.</summary>
    public int PrestartedExecutors { get; set; } = 2;

    /// <summary>Mesos's --docker_registry, as a local directory: image names that are not absolute paths are
    /// looked up there (an OCI image layout directory NAME, or a tarball NAME.tar).</summary>
    public string? DockerRegistry { get; set; }

    public static AgentOptions Read(Flags flags)
    {
        var defaults = new AgentOptions();
        var masters = flags.Get("master", defaults.Master.ToString())
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => new Uri(m.Contains("://", StringComparison.Ordinal) ? m : "http://" + m))
            .ToList();
        if (masters.Count == 0)
        {
            throw new ArgumentException("--master needs at least one master address");
        }

        return new AgentOptions
        {
            Master = masters[0],
            Masters = masters,
            Ip = flags.Get("ip", defaults.Ip),
            Hostname = flags.Get("hostname") ?? flags.Get("ip", defaults.Hostname),
            Port = flags.GetInt("port", defaults.Port),
            WorkDir = Path.GetFullPath(flags.Get("work_dir", defaults.WorkDir)),
            Resources = flags.Get("resources"),
            Attributes = flags.Get("attributes"),
            Isolation = flags.Get("isolation"),
            Recover = flags.Get("recover", defaults.Recover),
            SwitchUser = flags.Get("switch_user") is not { } switchUser || bool.Parse(switchUser),
            TaskPidsLimit = flags.GetInt("task_pids_limit", (int)defaults.TaskPidsLimit),
            UsageInterval = Usage.UsageInterval.Parse(flags.Get("usage_interval")),

            PrestartedExecutors = flags.GetInt("prestarted_executors", defaults.PrestartedExecutors),
            LauncherDir = flags.Get("launcher_dir") is { } launcherDir ? Path.GetFullPath(launcherDir) : null,
            DockerRegistry = flags.Get("docker_registry") is { } registry ? Path.GetFullPath(registry) : null,
        };
    }
}
