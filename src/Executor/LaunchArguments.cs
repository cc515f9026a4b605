using System.Globalization;

namespace Mesos.Orleans.Executor;

/// <summary>What the agent asks of the executor, from its command line:
/// <c>mesos-executor --sandbox=DIR [--cgroup_procs=FILE]... [--user=NAME --uid=N --gid=N]
/// [--rootfs=DIR --container_dir=DIR] (--shell=COMMAND | --exec=PATH -- ARGV...)</c>.
/// <c>--init</c> is the executor's own second stage, pid 1 of a container's PID namespace.</summary>
internal sealed class LaunchArguments
{
    public string Sandbox { get; private set; } = string.Empty;

    /// <summary>cgroup.procs files the executor joins before it starts anything (one per v1 hierarchy).</summary>
    public List<string> CgroupProcs { get; } = [];

    public string? User { get; private set; }

    public uint Uid { get; private set; }

    public uint Gid { get; private set; }

    /// <summary>The image's unpacked root filesystem (read only, shared by every container of the image).</summary>
    public string? RootFs { get; private set; }

    /// <summary>A directory of this container's own on the agent: the writable layer over the image lives there.</summary>
    public string? ContainerDir { get; private set; }

    public string? Shell { get; private set; }

    public string? Exec { get; private set; }

    public List<string> Argv { get; } = [];

    public bool Init { get; private set; }

    public static LaunchArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new LaunchArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                parsed.Argv.AddRange(args.Skip(i + 1));
                break;
            }

            if (arg == "--init")
            {
                parsed.Init = true;
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (!arg.StartsWith("--", StringComparison.Ordinal) || equals < 0)
            {
                throw new ArgumentException($"Unexpected argument '{arg}'");
            }

            var value = arg[(equals + 1)..];
            switch (arg[2..equals])
            {
                case "sandbox": parsed.Sandbox = value; break;
                case "cgroup_procs": parsed.CgroupProcs.Add(value); break;
                case "user": parsed.User = value; break;
                case "uid": parsed.Uid = uint.Parse(value, CultureInfo.InvariantCulture); break;
                case "gid": parsed.Gid = uint.Parse(value, CultureInfo.InvariantCulture); break;
                case "rootfs": parsed.RootFs = value; break;
                case "container_dir": parsed.ContainerDir = value; break;
                case "shell": parsed.Shell = value; break;
                case "exec": parsed.Exec = value; break;
                default: throw new ArgumentException($"Unknown flag '{arg[..equals]}'");
            }
        }

        if (parsed.Sandbox.Length == 0 || (parsed.Shell is null && parsed.Exec is null))
        {
            throw new ArgumentException("--sandbox and one of --shell or --exec are required");
        }

        if ((parsed.RootFs is null) != (parsed.ContainerDir is null))
        {
            throw new ArgumentException("--rootfs and --container_dir go together");
        }

        return parsed;
    }

    /// <summary>The arguments that start the same launch as the executor's <c>--init</c> stage.</summary>
    public List<string> ForInit()
    {
        var args = new List<string> { "--init", $"--sandbox={Sandbox}", $"--rootfs={RootFs}", $"--container_dir={ContainerDir}" };
        if (User is not null)
        {
            args.AddRange([$"--user={User}", FormattableString.Invariant($"--uid={Uid}"), FormattableString.Invariant($"--gid={Gid}")]);
        }

        args.Add(Shell is not null ? $"--shell={Shell}" : $"--exec={Exec}");
        if (Shell is null)
        {
            args.Add("--");
            args.AddRange(Argv);
        }

        return args;
    }

    /// <summary>The file to execute and its argv: <c>/bin/sh -c COMMAND</c>, or Mesos's argv form where the
    /// value is the executable and the arguments are the whole argv.</summary>
    public (string File, List<string> Argv, bool SearchPath) Command() =>
        Shell is not null
            ? ("/bin/sh", ["sh", "-c", Shell], false)
            : (Exec!, Argv.Count > 0 ? Argv : [Exec!], true);
}
