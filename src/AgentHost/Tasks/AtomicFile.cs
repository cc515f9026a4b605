using System.Runtime.InteropServices;

namespace Mesos.Orleans.AgentHost.Tasks;

/// <summary>Replaces a file's contents atomically: the new contents go to <c>PATH.tmp</c>, which then takes the
/// file's place in one step, so a reader (a restarted agent) sees the old contents or the new, never a mix.
/// Replacing an existing file swaps the two with <c>renameat2(RENAME_EXCHANGE)</c>: a plain rename over an
/// existing file makes ext4 (auto_da_alloc) write the new file's data out before the rename returns, which
/// cost about 1.6 ms per checkpoint write on the task launch path. The old contents are then renamed aside
/// (<c>PATH.old-ID</c>) and unlinked on a thread-pool thread: unlinking a freshly written file costs ext4
/// another 1.4 ms (measured with strace on the launch benchmark), a rename to a new name 0.05 ms. Where the
/// filesystem cannot exchange, it falls back to the plain rename.</summary>
public static partial class AtomicFile
{
    /// <summary>What the names of old contents awaiting deletion have after the file's own name.</summary>
    public const string OldContentsMarker = ".old-";

    private static readonly System.Buffers.SearchValues<char> Hex = System.Buffers.SearchValues.Create("0123456789abcdef");

    private const int AT_FDCWD = -100;
    private const uint RENAME_EXCHANGE = 2;

    public static void Write(string path, byte[] contents)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, contents);
        if (File.Exists(path) && RenameAt2(AT_FDCWD, temporary, AT_FDCWD, path, RENAME_EXCHANGE) == 0)
        {
            // PATH.tmp now holds the old contents: out of the way under a name of their own, gone later. A crash
            // in between leaves them behind; RemoveLeftovers clears them at the next start.
            var old = path + OldContentsMarker + Guid.NewGuid().ToString("N");
            File.Move(temporary, old);
            ThreadPool.UnsafeQueueUserWorkItem(DeleteQuietly, old, preferLocal: false);
            return;
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes old contents a crash left in <paramref name="directory"/>: only names that end in the
    /// marker and 32 hex digits, which no file written here has (a task ID may well contain ".old-").</summary>
    public static void RemoveLeftovers(string directory)
    {
        if (Directory.Exists(directory))
        {
            foreach (var old in Directory.EnumerateFiles(directory, "*" + OldContentsMarker + "*").Where(IsOldContents))
            {
                DeleteQuietly(old);
            }
        }
    }

    private static bool IsOldContents(string path)
    {
        var marker = path.LastIndexOf(OldContentsMarker, StringComparison.Ordinal);
        var id = path.AsSpan(marker + OldContentsMarker.Length);
        return id.Length == 32 && !id.ContainsAnyExcept(Hex);
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Its directory went first (a task's checkpoints removed): nothing is left to delete.
        }
    }

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);
}
