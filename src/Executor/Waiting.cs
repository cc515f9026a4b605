using System.Runtime.InteropServices;

namespace Mesos.Orleans.Executor;

/// <summary>Waits for a child and forwards SIGTERM to its process group meanwhile (the agent's kill policy:
/// SIGTERM first; SIGKILL and the cgroup-wide kill after the grace period stay with the agent).</summary>
internal static unsafe class Waiting
{
    private static int _child;
    private static bool _terminating;

    /// <summary>Installs the SIGTERM forwarding; a SIGTERM that comes before the child exists is passed on
    /// as soon as it does.</summary>
    public static PosixSignalRegistration ForwardTermination() =>
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _terminating = true;
            if (Volatile.Read(ref _child) is var child and > 0)
            {
                _ = Libc.Kill(-child, Libc.SIGTERM);
            }
        });

    public static void Watch(int child)
    {
        Volatile.Write(ref _child, child);
        if (_terminating)
        {
            _ = Libc.Kill(-child, Libc.SIGTERM);
        }
    }

    /// <summary>The wait status of <paramref name="pid"/>.</summary>
    public static int For(int pid)
    {
        int status;
        while (Libc.WaitPid(pid, &status, 0) < 0)
        {
            if (Marshal.GetLastPInvokeError() != Libc.EINTR)
            {
                throw new InvalidOperationException(Libc.Describe("waitpid"));
            }
        }

        return status;
    }

    /// <summary>As pid 1 of a PID namespace: reaps every orphan that ends up here until <paramref name="pid"/>
    /// ends, and returns its wait status.</summary>
    public static int ReapingFor(int pid)
    {
        while (true)
        {
            int status;
            var reaped = Libc.WaitPid(-1, &status, 0);
            if (reaped == pid)
            {
                return status;
            }

            if (reaped < 0 && Marshal.GetLastPInvokeError() is not Libc.EINTR)
            {
                throw new InvalidOperationException(Libc.Describe("waitpid"));
            }
        }
    }
}
