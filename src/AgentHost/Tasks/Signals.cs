using System.Runtime.InteropServices;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>POSIX signals to a task's process group (tasks start as session leaders, so pgid == pid).</summary>
internal static partial class Signals
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    public static void SendToGroup(int pid, int signal) => _ = Kill(-pid, signal);

    public static void Send(int pid, int signal) => _ = Kill(pid, signal);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
