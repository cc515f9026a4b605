using System.Diagnostics;
using System.Globalization;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>Starts a command task as a real process in its sandbox: its own session (so a kill reaches
/// the whole process group), stdout and stderr to files in the sandbox, stdin from /dev/null, and the
/// environment Mesos gives a task.</summary>
public static class CommandLauncher
{
    // The shell's own redirections put the task's output straight into the sandbox files, so nothing
    // of it passes through (or depends on) the agent.
    private const string Redirect = "exec </dev/null >stdout 2>stderr\n";

    /// <summary>The shell stays as the task's supervisor: it runs the command as a child and records its exit
    /// status in the sandbox, so an agent restarted while the task ran still learns how it ended.</summary>
    public const string ExitStatusFile = ".exit_status";

    private const string RecordExit = "\ncode=$?\necho $code > " + ExitStatusFile + "\nexit $code";

    public static Process Start(RunningTask task, AgentId agentId, string hostname, string? user = null)
    {
        var command = task.Info.Command!;

        // The shell joins the task's cgroup before anything of the task runs: no process is ever migrated.
        var join = string.Concat((task.Cgroup?.ProcsFiles ?? []).Select(f => $"echo $$ > '{f}' || exit 125\n"));

        // argv form: value is the executable, arguments the whole argv (argv[0] included).
        var script = command.Shell != false
            ? Redirect + "(\n" + command.Value + "\n)" + RecordExit
            : Redirect + "\"$0\" \"$@\"" + RecordExit;
        string[] argv = command.Shell != false ? [] : [command.Value!, .. (command.Arguments ?? []).Skip(1)];
        var start = new ProcessStartInfo("setsid") { WorkingDirectory = task.Sandbox, UseShellExecute = false };
        start.ArgumentList.Add("/bin/sh");
        start.ArgumentList.Add("-c");
        if (user is null)
        {
            start.ArgumentList.Add(join + script);
        }
        else
        {
            // Join the cgroup as root, then drop to the task's user for everything the task runs.
            var (uid, gid) = TaskUser.Lookup(user);
            start.ArgumentList.Add(join + FormattableString.Invariant($"exec setpriv --reuid={uid} --regid={gid} --init-groups /bin/sh -c \"$0\" \"$@\""));
            start.ArgumentList.Add(script);
            start.Environment["USER"] = user;
            start.Environment["LOGNAME"] = user;
        }

        foreach (var argument in argv)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment(task, agentId, hostname))
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The task process did not start");
    }

    private static IEnumerable<ulong> Ports(ValueRangeSet ranges)
    {
        foreach (var range in ranges.Ranges)
        {
            for (var port = range.Begin; port <= range.End && port != ulong.MaxValue; port++)
            {
                yield return port;
            }
        }
    }

    public static IEnumerable<(string Name, string Value)> Environment(RunningTask task, AgentId agentId, string hostname)
    {
        yield return ("MESOS_TASK_ID", task.Id.Value);
        yield return ("MESOS_FRAMEWORK_ID", task.FrameworkId.Value);
        yield return ("MESOS_EXECUTOR_ID", task.ExecutorId.Value);
        yield return ("MESOS_AGENT_ID", agentId.Value);
        yield return ("MESOS_SLAVE_ID", agentId.Value);
        yield return ("MESOS_SANDBOX", task.Sandbox);
        yield return ("MESOS_DIRECTORY", task.Sandbox);
        yield return ("HOST", hostname);

        var ports = Ports(ResourceBag.FromWire(task.Info.Resources).Ranges("ports")).Take(1000).ToList();
        for (var i = 0; i < ports.Count; i++)
        {
            yield return ($"PORT{i}", ports[i].ToString(CultureInfo.InvariantCulture));
        }

        if (ports.Count > 0)
        {
            yield return ("PORT", ports[0].ToString(CultureInfo.InvariantCulture));
        }

        foreach (var variable in task.Info.Command?.Environment?.Variables ?? [])
        {
            if (variable.Name is { Length: > 0 } name)
            {
                yield return (name, variable.Value ?? string.Empty);
            }
        }
    }
}
