using System.Diagnostics;
using System.Globalization;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>Mesos's --switch_user: a task runs as its command's user, else its framework's user; the agent's
/// own user (or an empty name) means no switch. The sandbox is handed to that user.</summary>
public static class TaskUser
{
    /// <summary>The agent's own user. Environment.UserName reads /etc/passwd on every call, which is not
    /// something to do on every launch.</summary>
    private static readonly string AgentUser = System.Environment.UserName;

    /// <summary>The user to switch to, or null for none.</summary>
    public static string? Of(RunningTask task, bool switchUser)
    {
        var user = task.Info.Command?.User ?? task.Framework?.User;
        return !switchUser || string.IsNullOrEmpty(user) || user == AgentUser ? null : user;
    }

    /// <summary>uid and gid of a user from /etc/passwd; throws with a clear message when there is none.</summary>
    public static (int Uid, int Gid) Lookup(string user)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 3 && fields[0] == user)
            {
                return (int.Parse(fields[2], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException($"Failed to switch to user '{user}': no such user on this agent");
    }

    /// <summary>Gives the sandbox (recursively) to the task's user, as Mesos chowns it before launching.</summary>
    public static void Own(string sandbox, string user)
    {
        var (uid, gid) = Lookup(user);
        using var chown = Process.Start(new ProcessStartInfo("chown", ["-R", FormattableString.Invariant($"{uid}:{gid}"), sandbox]))
            ?? throw new InvalidOperationException("Could not start chown");
        chown.WaitForExit();
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not give the sandbox to user '{user}'");
        }
    }
}
