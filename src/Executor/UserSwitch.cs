namespace Mesos.Orleans.Executor;

/// <summary>Drops root for the task's user as <c>setpriv --reuid --regid --init-groups</c> does: the user's
/// supplementary groups, then its gid, then its uid (after which none of it can be undone).</summary>
internal static unsafe class UserSwitch
{
    public static void To(string user, uint uid, uint gid)
    {
        if (Libc.InitGroups(user, gid) != 0)
        {
            throw new InvalidOperationException(Libc.Describe($"Failed to set the groups of user '{user}'"));
        }

        if (Libc.SetGid(gid) != 0 || Libc.SetUid(uid) != 0)
        {
            throw new InvalidOperationException(Libc.Describe($"Failed to switch to user '{user}'"));
        }
    }
}
