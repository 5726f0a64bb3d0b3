namespace KxCollector.Recording;

/// <summary>
/// An open data file that only ever grows by whole lines. Small enough to fake, so tests can inject the write
/// failures (disk full, removed folder) that are awkward to cause for real.
/// </summary>
internal interface IAppendFile : IDisposable
{
    string Path { get; }

    long Length { get; }

    /// <summary>
    /// Appends the bytes (one or more whole lines) in one write. On failure the file is cut back to its previous
    /// length before the exception propagates, so a partial line never stays behind.
    /// </summary>
    void Append(ReadOnlySpan<byte> lines);

    /// <summary>fsync: the data reaches the disk, not just the OS.</summary>
    void FlushToDisk();
}

internal interface IAppendFileOpener
{
    /// <summary>Opens (creating if needed) a data file for appending, repairing a torn last line first.</summary>
    IAppendFile Open(string path);
}
