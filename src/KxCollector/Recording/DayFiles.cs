namespace KxCollector.Recording;

/// <summary>
/// Where a data file is now and how to read it: a finished day is compressed to <c>&lt;name&gt;.jsonl.gz</c> beside
/// itself, and the plain file is removed only once the compressed one is complete. While both exist (a crash between
/// the two steps) they hold the same lines, so every reader takes the plain one and never reads a day twice.
/// </summary>
internal static class DayFiles
{
    /// <summary>The existing file for a plain data file's path: itself, else its .gz, else null.</summary>
    public static string? Locate(string plainPath)
    {
        if (File.Exists(plainPath))
        {
            return plainPath;
        }

        var compressed = DayFileName.CompressedPathOf(plainPath);
        return File.Exists(compressed) ? compressed : null;
    }

    /// <summary>
    /// Opens a data file for reading its lines, decompressing a .gz (and failing on a truncated one). Shared so the daemon may append to a plain file or
    /// remove it (compression) while it is read.
    /// </summary>
    public static Stream OpenRead(string path, int bufferSize = 0)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize);
        return DayFileName.IsCompressed(path) ? new CheckedGzipStream(file) : file;
    }

    /// <summary>Decompresses a gzip file whatever its name (a compression's temporary).</summary>
    public static Stream OpenCompressed(string path) =>
        new CheckedGzipStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0));

    /// <summary>
    /// The data files of a folder (not its sub-folders), one per day: a day's plain file where both it and its .gz
    /// exist. Ordered by name.
    /// </summary>
    public static IReadOnlyList<string> List(string directory, string searchPattern)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var all = Directory.EnumerateFiles(directory, searchPattern).ToHashSet(StringComparer.Ordinal);
        return all
            .Where(p => DayFileName.IsDataFile(p) && (!DayFileName.IsCompressed(p) || !all.Contains(DayFileName.PlainPathOf(p))))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
