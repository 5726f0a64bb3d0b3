using System.Buffers;
using KxCollector.Cli;
using Microsoft.Extensions.Logging;

namespace KxCollector.Recording;

/// <summary>
/// Appends records to <c>&lt;dir&gt;/&lt;prefix&gt;-YYYY-MM-DD.jsonl</c>, choosing the file from each record's UTC date,
/// so rotation follows the data's own timestamps whatever the machine's time zone.
/// <list type="bullet">
/// <item>Each record is one write of the whole line and its newline; the OS has it when Append returns.</item>
/// <item>fsync at least every <see cref="FsyncInterval"/>, on rotation and on dispose. The periodic one runs where the
/// <see cref="IFsyncRunner"/> puts it (the daemon: <see cref="BackgroundFsync"/>), outside the writer's lock, so a slow
/// disk never holds up an append.</item>
/// <item>A failed write (disk full, folder removed) keeps the record in a bounded in-memory backlog, retried on every
/// append, so writing resumes by itself and nothing is lost unless the outage outlasts the backlog.</item>
/// </list>
/// Thread-safe: ticks, settlements and other records may come from different services.
/// </summary>
internal sealed partial class DailyJsonlWriter : IRecordSink, IDisposable
{
    public static readonly TimeSpan FsyncInterval = TimeSpan.FromSeconds(10);

    /// <summary>Backlog bound: a day of 2 KB ticks fits; past it the oldest records are dropped (and counted).</summary>
    public const long MaxBacklogBytes = 256L * 1024 * 1024;

    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly string _prefix;
    private readonly TimeProvider _time;
    private readonly IAppendFileOpener _opener;
    private readonly ILogger _logger;
    private readonly Queue<PendingRecord> _backlog = new();
    private readonly IFsyncRunner _fsync;

    private IAppendFile? _file;
    private DateOnly _fileDate;
    private DateOnly _pathDate;
    private long _lastFsyncTimestamp;
    private bool _fsyncPending;
    private long _backlogBytes;
    private long _droppedRecords;
    private readonly OutageReporter _outage;
    private bool _disposed;

    /// <param name="fsync">Where the periodic fsync runs; inline (before Append returns) when not given.</param>
    public DailyJsonlWriter(string directory, string prefix, TimeProvider time, IAppendFileOpener opener, ILogger logger, IFsyncRunner? fsync = null)
    {
        _fsync = fsync ?? InlineFsync.Instance;
        _directory = directory;
        _prefix = prefix;
        _time = time;
        _outage = new OutageReporter(time, FailureLogInterval);
        _opener = opener;
        _logger = logger;
        _lastFsyncTimestamp = time.GetTimestamp();
    }

    /// <summary>Records waiting for the disk to accept them.</summary>
    public int BacklogCount
    {
        get
        {
            lock (_gate)
            {
                return _backlog.Count;
            }
        }
    }

    /// <summary>Records given up on because the backlog was full.</summary>
    public long DroppedRecords => Interlocked.Read(ref _droppedRecords);

    /// <summary>The path of the file the most recent record went to, or would have gone to.</summary>
    public string? CurrentPath { get; private set; }

    public string PathFor(DateOnly utcDate) => Path.Combine(_directory, DayFileName.Of(_prefix, utcDate));

    public bool Append(DateTimeOffset timestamp, ReadOnlySpan<byte> record)
    {
        var date = DateOnly.FromDateTime(timestamp.UtcDateTime);
        // The line and its newline go out in one write from a rented buffer; only a line that has to wait in the
        // backlog gets an array of its own (a copy of every line was half of what recording allocated).
        var rented = ArrayPool<byte>.Shared.Rent(record.Length + 1);
        try
        {
            record.CopyTo(rented);
            rented[record.Length] = (byte)'\n';
            var line = rented.AsSpan(0, record.Length + 1);
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_backlog.Count == 0)
                {
                    if (TryWrite(date, line))
                    {
                        MaybeFsync();
                        return true;
                    }

                    Enqueue(new PendingRecord(date, line.ToArray()));
                    return false;
                }

                // Older records first, so the file stays in time order.
                Enqueue(new PendingRecord(date, line.ToArray()));
                var drained = TryDrainBacklog();
                if (drained)
                {
                    MaybeFsync();
                }

                return drained;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public void FlushToDisk()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            TryDrainBacklog();
            FsyncCurrent();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            TryDrainBacklog();
            if (_backlog.Count > 0)
            {
                LogBacklogLostAtShutdown(_logger, _backlog.Count);
            }

            CloseCurrent();
            _disposed = true;
        }
    }

    private bool TryWrite(DateOnly date, ReadOnlySpan<byte> line)
    {
        try
        {
            var file = EnsureFile(date);
            file.Append(line);
            if (_outage.Succeeded() is { } outage)
            {
                LogWritingResumed(_logger, file.Path, outage.Duration.TotalSeconds);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            OnWriteFailed(ex);
            return false;
        }
    }

    private bool TryDrainBacklog()
    {
        while (_backlog.TryPeek(out var pending))
        {
            if (!TryWrite(pending.Date, pending.Line))
            {
                return false;
            }

            _backlog.Dequeue();
            _backlogBytes -= pending.Line.Length;
        }

        return true;
    }

    private void Enqueue(PendingRecord record)
    {
        _backlog.Enqueue(record);
        _backlogBytes += record.Line.Length;
        while (_backlogBytes > MaxBacklogBytes && _backlog.Count > 1)
        {
            var dropped = _backlog.Dequeue();
            _backlogBytes -= dropped.Line.Length;
            Interlocked.Increment(ref _droppedRecords);
        }
    }

    private IAppendFile EnsureFile(DateOnly date)
    {
        // Built once a day rather than once a line: two strings a line, at hundreds of lines a second.
        if (_pathDate != date || CurrentPath is null)
        {
            CurrentPath = PathFor(date);
            _pathDate = date;
        }

        var path = CurrentPath;
        if (_file is not null && _fileDate == date)
        {
            // A file deleted (or its folder removed) under us would swallow writes into an unlinked inode.
            if (File.Exists(path))
            {
                return _file;
            }

            LogFileVanished(_logger, path);
            DisposeQuietly();
        }
        else if (_file is not null)
        {
            // Rotation: the finished day is made durable before its handle goes.
            CloseCurrent();
        }

        Directory.CreateDirectory(_directory);
        _file = _opener.Open(path);
        _fileDate = date;
        return _file;
    }

    private void MaybeFsync()
    {
        if (_fsyncPending || _file is not { } file || _time.GetElapsedTime(_lastFsyncTimestamp) < FsyncInterval)
        {
            return;
        }

        _fsyncPending = true;
        StartFsync(file, _time.GetTimestamp());
    }

    // Its own method: a lambda's captures live in an object the compiler allocates where the captured variables'
    // scope begins, which in MaybeFsync was every append, due or not.
    private void StartFsync(IAppendFile file, long started) => _fsync.Run(() => FsyncOutsideLock(file, started));

    /// <summary>
    /// The periodic fsync, without the lock: appends carry on while it waits for the disk. Everything written before
    /// <paramref name="started"/> is durable when it returns, so the next one is due an interval after that.
    /// </summary>
    private void FsyncOutsideLock(IAppendFile file, long started)
    {
        Exception? failure = null;
        try
        {
            file.FlushToDisk();
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile (rotation, a write failure, shutdown); closing fsynced it, or the failure is handled.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failure = ex;
        }

        lock (_gate)
        {
            _fsyncPending = false;
            if (failure is null)
            {
                _lastFsyncTimestamp = Math.Max(_lastFsyncTimestamp, started);
            }
            else if (ReferenceEquals(file, _file) && !_disposed)
            {
                OnWriteFailed(failure);
            }
        }
    }

    private void FsyncCurrent()
    {
        if (_file is null)
        {
            return;
        }

        try
        {
            _file.FlushToDisk();
            _lastFsyncTimestamp = _time.GetTimestamp();
        }
        catch (IOException ex)
        {
            OnWriteFailed(ex);
            DisposeQuietly();
        }
    }

    private void CloseCurrent()
    {
        FsyncCurrent();
        DisposeQuietly();
    }

    private void DisposeQuietly()
    {
        try
        {
            _file?.Dispose();
        }
        catch (IOException)
        {
        }

        _file = null;
    }

    private void OnWriteFailed(Exception ex)
    {
        // Drop the handle: the next attempt reopens, which also recreates a removed folder.
        DisposeQuietly();
        switch (_outage.Failed())
        {
            case OutageReport.First:
                LogWriteFailed(_logger, CurrentPath ?? _directory, ex.Message);
                break;
            case OutageReport.Reminder:
                LogStillFailing(_logger, CurrentPath ?? _directory, _backlog.Count, Interlocked.Read(ref _droppedRecords), ex.Message);
                break;
        }
    }

    private readonly record struct PendingRecord(DateOnly Date, byte[] Line);

    [LoggerMessage(EventId = 310, Level = LogLevel.Error, Message = "Cannot write {Path}: {Reason}. Records are kept in memory and written when it works again")]
    private static partial void LogWriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 311, Level = LogLevel.Error, Message = "Still cannot write {Path}: {Pending} records waiting, {Dropped} dropped so far ({Reason})")]
    private static partial void LogStillFailing(ILogger logger, string path, int pending, long dropped, string reason);

    [LoggerMessage(EventId = 312, Level = LogLevel.Information, Message = "Writing resumed on {Path} after {Seconds:F0} s; waiting records were written in order")]
    private static partial void LogWritingResumed(ILogger logger, string path, double seconds);

    [LoggerMessage(EventId = 313, Level = LogLevel.Warning, Message = "{Path} disappeared while open; reopening it")]
    private static partial void LogFileVanished(ILogger logger, string path);

    [LoggerMessage(EventId = 314, Level = LogLevel.Error, Message = "Shutting down with {Count} records that could not be written")]
    private static partial void LogBacklogLostAtShutdown(ILogger logger, int count);
}
