namespace KxCollector.Recording;

/// <summary>
/// Replaces a small file so that a crash or power loss leaves either the old content or the new, never a mix: the
/// new bytes go to a temp file beside it, are fsynced, renamed over the old (atomic on one file system), and the
/// directory is fsynced so the rename itself survives. For the state files; the data files are append-only instead.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="write"/>'s bytes to <paramref name="path"/>; IOException or UnauthorizedAccessException when the disk refuses.</summary>
    public static void Replace(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        DirectorySync.TryFsync(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
