namespace KxCollector.Store;

/// <summary>The store's running totals, written by the store loop and read by the health sampler (other threads).</summary>
internal sealed class StoreStats
{
    private long _lines;
    private long _rowsInserted;
    private long _rowsDuplicate;
    private long _skippedLines;
    private long _pendingBytes;
    private long _lastLagMs = -1;
    private long _flushes;
    private int _connected;

    public long Lines => Interlocked.Read(ref _lines);

    public long RowsInserted => Interlocked.Read(ref _rowsInserted);

    public long RowsDuplicate => Interlocked.Read(ref _rowsDuplicate);

    public long SkippedLines => Interlocked.Read(ref _skippedLines);

    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Bytes of the data files not in the database yet, as of the last look.</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    /// <summary>
    /// At the last commit: how long after the newest record's own time ("ts") it reached the database. Null before
    /// the first commit. While catching up after an outage this is the age of the data being written.
    /// </summary>
    public long? LastLagMs => Interlocked.Read(ref _lastLagMs) is var lag and >= 0 ? lag : null;

    public bool Connected => Volatile.Read(ref _connected) == 1;

    public void RecordFlush(long lines, long skipped, long inserted, long duplicate, long? lagMs)
    {
        Interlocked.Add(ref _lines, lines);
        Interlocked.Add(ref _skippedLines, skipped);
        Interlocked.Add(ref _rowsInserted, inserted);
        Interlocked.Add(ref _rowsDuplicate, duplicate);
        Interlocked.Increment(ref _flushes);
        if (lagMs is { } lag)
        {
            Interlocked.Exchange(ref _lastLagMs, Math.Max(0, lag));
        }
    }

    public void SetPendingBytes(long bytes) => Interlocked.Exchange(ref _pendingBytes, bytes);

    public void SetConnected(bool connected) => Volatile.Write(ref _connected, connected ? 1 : 0);
}
