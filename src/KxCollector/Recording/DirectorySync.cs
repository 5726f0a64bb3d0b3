using System.Runtime.InteropServices;

namespace KxCollector.Recording;

/// <summary>
/// fsync of a directory, which .NET does not expose: without it a newly created file's name may not survive a
/// power loss even though its data was synced.
/// </summary>
internal static partial class DirectorySync
{
    // Plain O_RDONLY: a directory opens read-only without O_DIRECTORY, whose value differs by architecture (0x10000 is
    // O_DIRECTORY on x86-64 but O_DIRECT on arm64, where the open of a directory then fails).
    private const int ReadOnly = 0;

    public static bool TryFsync(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            return Fsync(fd) == 0;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
