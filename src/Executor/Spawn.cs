using System.Runtime.InteropServices;

namespace Mesos.Orleans.Executor;

/// <summary>Starts a process with posix_spawn: the child is set up by libc between clone and exec (own
/// session, file descriptors, working directory, default signal dispositions), so no managed code ever runs
/// in a forked child, and the call returns only once the exec has succeeded or failed.</summary>
internal static unsafe partial class Spawn
{
    private const short POSIX_SPAWN_SETSIGDEF = 0x04;
    private const short POSIX_SPAWN_SETSIGMASK = 0x08;
    private const short POSIX_SPAWN_SETSID = 0x80;

    // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336 and sigset_t 128: room to spare.
    private const int OpaqueSize = 1024;

    /// <summary>One change to the child's file descriptors, applied in order.</summary>
    public abstract record FileAction;

    public sealed record OpenFile(int Fd, string Path, int Flags, int Mode) : FileAction;

    public sealed record Duplicate(int From, int To) : FileAction;

    public sealed record CloseFile(int Fd) : FileAction;

    /// <summary>Spawns <paramref name="argv"/> (argv[0] is looked up on PATH when <paramref name="searchPath"/>)
    /// in a new session; returns its pid, or throws with the reason it could not start.</summary>
    public static int Start(string file, IReadOnlyList<string> argv, IReadOnlyList<string> environment, IReadOnlyList<FileAction> actions, string? workingDirectory, bool searchPath)
    {
        var strings = new List<nint>();
        var actionsBuffer = stackalloc byte[OpaqueSize];
        var attrBuffer = stackalloc byte[OpaqueSize];
        var signals = stackalloc byte[OpaqueSize];
        _ = FileActionsInit(actionsBuffer);
        _ = AttrInit(attrBuffer);
        try
        {
            foreach (var action in actions)
            {
                var result = action switch
                {
                    OpenFile open => AddOpen(actionsBuffer, open.Fd, open.Path, open.Flags, open.Mode),
                    Duplicate dup => AddDup2(actionsBuffer, dup.From, dup.To),
                    CloseFile close => AddClose(actionsBuffer, close.Fd),
                    _ => 0,
                };
                if (result != 0)
                {
                    throw new InvalidOperationException($"Could not prepare the task's file descriptors (error {result})");
                }
            }

            if (workingDirectory is not null && AddChDir(actionsBuffer, workingDirectory) != 0)
            {
                throw new InvalidOperationException($"Could not change to directory {workingDirectory}");
            }

            // Signals the executor handles or ignores (SIGPIPE, in .NET) go back to their defaults, and none
            // stays blocked: the task starts as a plain process would.
            _ = SigFillSet(signals);
            _ = AttrSetSigDefault(attrBuffer, signals);
            _ = SigEmptySet(signals);
            _ = AttrSetSigMask(attrBuffer, signals);
            _ = AttrSetFlags(attrBuffer, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

            var argvPointers = stackalloc nint[argv.Count + 1];
            for (var i = 0; i < argv.Count; i++)
            {
                strings.Add(argvPointers[i] = Marshal.StringToCoTaskMemUTF8(argv[i]));
            }

            argvPointers[argv.Count] = 0;
            var envPointers = new nint[environment.Count + 1];
            for (var i = 0; i < environment.Count; i++)
            {
                strings.Add(envPointers[i] = Marshal.StringToCoTaskMemUTF8(environment[i]));
            }

            int pid;
            int error;
            fixed (nint* envp = envPointers)
            {
                error = searchPath
                    ? SpawnP(&pid, file, actionsBuffer, attrBuffer, argvPointers, envp)
                    : SpawnExact(&pid, file, actionsBuffer, attrBuffer, argvPointers, envp);
            }

            if (error != 0)
            {
                throw new InvalidOperationException($"Failed to execute '{file}': {Marshal.PtrToStringUTF8(Libc.StrError(error))}");
            }

            return pid;
        }
        finally
        {
            _ = FileActionsDestroy(actionsBuffer);
            _ = AttrDestroy(attrBuffer);
            foreach (var pointer in strings)
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SpawnExact(int* pid, string path, byte* actions, byte* attr, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "posix_spawnp", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SpawnP(int* pid, string file, byte* actions, byte* attr, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AddOpen(byte* actions, int fd, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int AddDup2(byte* actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addclose")]
    private static partial int AddClose(byte* actions, int fd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AddChDir(byte* actions, string path);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int AttrInit(byte* attr);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttrDestroy(byte* attr);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int AttrSetFlags(byte* attr, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int AttrSetSigDefault(byte* attr, byte* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int AttrSetSigMask(byte* attr, byte* signals);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    private static partial int SigFillSet(byte* set);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(byte* set);
}
