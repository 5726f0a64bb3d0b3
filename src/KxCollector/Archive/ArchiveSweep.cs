using KxCollector.Recording;
using Microsoft.Extensions.Logging;

namespace KxCollector.Archive;

/// <summary>
/// One pass over the output folder's daily files (not the backfill's, which a later backfill may append to): finished
/// days are compressed, oldest first, and with a retention set, compressed days older than it are removed. A day is
/// finished once it ended <see cref="SettleTime"/> ago and its file has not changed for as long: the writer may still
/// append a record stamped just before midnight (a trade received late, a backlog drained after a disk error).
/// Today's file is never touched.
/// </summary>
internal sealed class ArchiveSweep(string directory, int? retentionDays, DayCompressor compressor, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan SettleTime = TimeSpan.FromMinutes(15);

    public void Run(CancellationToken ct)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        RemoveStalePartials();
        foreach (var (path, day) in Dated(DayFileName.PlainGlob).OrderBy(f => f.Day))
        {
            ct.ThrowIfCancellationRequested();
            var dayEnd = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (day >= today || now - dayEnd < SettleTime || now - File.GetLastWriteTimeUtc(path) < SettleTime)
            {
                continue;
            }

            CompressOne(path, ct);
        }

        if (retentionDays is { } days)
        {
            // A day D is kept while D >= today - days: RETENTION_DAYS=30 keeps the last 30 finished days and today.
            var oldestKept = today.AddDays(-days);
            foreach (var (path, day) in Dated(DayFileName.CompressedGlob).Where(f => f.Day < oldestKept))
            {
                try
                {
                    File.Delete(path);
                    ArchiveLog.Removed(logger, path, days);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    ArchiveLog.RemoveFailed(logger, path, ex.Message);
                }
            }

            DirectorySync.TryFsync(directory);
        }
    }

    private void CompressOne(string path, CancellationToken ct)
    {
        var plainBytes = new FileInfo(path).Length;
        var started = time.GetTimestamp();
        try
        {
            switch (compressor.Compress(path, ct))
            {
                case CompressionOutcome.Compressed:
                    var packed = new FileInfo(DayFileName.CompressedPathOf(path)).Length;
                    ArchiveLog.Compressed(logger, path, plainBytes, packed, packed > 0 ? plainBytes / (double)packed : 0, time.GetElapsedTime(started).TotalSeconds);
                    break;
                case CompressionOutcome.Finished:
                    ArchiveLog.Finished(logger, path);
                    break;
                case CompressionOutcome.Differs:
                    ArchiveLog.BothDiffer(logger, path);
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            ArchiveLog.CompressFailed(logger, path, ex.Message);
        }
    }

    private void RemoveStalePartials()
    {
        // The sweep is the only writer of these and runs alone: any present now was left by a crash.
        foreach (var partial in Directory.EnumerateFiles(directory, DayFileName.PartialGlob))
        {
            File.Delete(partial);
            ArchiveLog.StalePartialRemoved(logger, partial);
        }
    }

    private IEnumerable<(string Path, DateOnly Day)> Dated(string pattern) =>
        Directory.EnumerateFiles(directory, pattern)
            .Where(p => !Path.GetFileName(p).StartsWith('.'))
            .Select(p => (Path: p, Day: DayFileName.DayOf(p)))
            .Where(f => f.Day is not null)
            .Select(f => (f.Path, f.Day!.Value))
            .ToList();
}
