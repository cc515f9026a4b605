using System.Runtime.InteropServices;

namespace Mesos.Orleans.Executor;

/// <summary>The few libc calls a supervisor needs. Each throws nothing: callers check the result and read
/// errno through <see cref="Marshal.GetLastPInvokeError"/>.</summary>
internal static unsafe partial class Libc
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int EINTR = 4;
    public const int ECHILD = 10;

    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int O_TRUNC = 0x200;
    public const int O_APPEND = 0x400;
    public const int O_CLOEXEC = 0x80000;

    public const int CLONE_NEWNS = 0x00020000;
    public const int CLONE_NEWPID = 0x20000000;

    public const ulong MS_RDONLY = 1;
    public const ulong MS_NOSUID = 2;
    public const ulong MS_NODEV = 4;
    public const ulong MS_NOEXEC = 8;
    public const ulong MS_BIND = 4096;
    public const ulong MS_REC = 16384;
    public const ulong MS_PRIVATE = 1 << 18;

    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    public static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "getpid")]
    public static partial int GetPid();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rename(string from, string to);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    public static partial int FChown(int fd, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    public static partial int Dup2(int from, int to);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    public static partial int Unshare(int flags);

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string? source, string target, string? type, ulong flags, string? data);

    [LibraryImport("libc", EntryPoint = "chroot", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ChRoot(string path);

    [LibraryImport("libc", EntryPoint = "rmdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RmDir(string path);

    [LibraryImport("libc", EntryPoint = "chdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ChDir(string path);

    [LibraryImport("libc", EntryPoint = "initgroups", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InitGroups(string user, uint gid);

    [LibraryImport("libc", EntryPoint = "setgroups", SetLastError = true)]
    public static partial int SetGroups(nint size, uint* groups);

    [LibraryImport("libc", EntryPoint = "setgid", SetLastError = true)]
    public static partial int SetGid(uint gid);

    [LibraryImport("libc", EntryPoint = "setuid", SetLastError = true)]
    public static partial int SetUid(uint uid);

    [LibraryImport("libc", EntryPoint = "strerror")]
    public static partial nint StrError(int errno);

    /// <summary>"open /x: No such file or directory" for the errno of the last call.</summary>
    public static string Describe(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return $"{what}: {Marshal.PtrToStringUTF8(StrError(errno))}";
    }

    /// <summary>Writes all of <paramref name="text"/> to a file descriptor (a short write is retried).</summary>
    public static void WriteAll(int fd, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        fixed (byte* start = bytes)
        {
            var done = 0;
            while (done < bytes.Length)
            {
                var n = Write(fd, start + done, bytes.Length - done);
                if (n < 0 && Marshal.GetLastPInvokeError() == EINTR)
                {
                    continue;
                }

                if (n <= 0)
                {
                    return;
                }

                done += (int)n;
            }
        }
    }
}
