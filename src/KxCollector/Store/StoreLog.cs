using Microsoft.Extensions.Logging;

namespace KxCollector.Store;

/// <summary>The store's log messages, with their stable event ids (700–799) in one place.</summary>
internal static partial class StoreLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Storing {Folder} into {Database} as collector {CollectorId} (batches of {BatchSize} rows, at least every {FlushSeconds} s)")]
    public static partial void Starting(ILogger logger, string folder, string database, string collectorId, int batchSize, double flushSeconds);

    [LoggerMessage(EventId = 701, Level = LogLevel.Error, Message = "{Problem}. The database store is off until DATABASE_URL is fixed; JSONL recording goes on")]
    public static partial void UnusableUrl(ILogger logger, string problem);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Database schema at version {Version}; applied now: {Applied}")]
    public static partial void SchemaReady(ILogger logger, int version, string applied);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Database schema has version(s) {Versions} that this collector does not know: a newer collector migrated it. Storing goes on with the tables this version knows")]
    public static partial void SchemaNewer(ILogger logger, string versions);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "Migration(s) {Versions} differ from the ones applied to this database: a shipped migration was edited")]
    public static partial void SchemaEdited(ILogger logger, string versions);

    [LoggerMessage(EventId = 705, Level = LogLevel.Error, Message = "{Problem}. JSONL recording goes on; the store retries in {RetrySeconds:F0} s and then catches up from the files")]
    public static partial void DatabaseFailed(ILogger logger, string problem, double retrySeconds);

    [LoggerMessage(EventId = 706, Level = LogLevel.Warning, Message = "{Problem}. Still failing after {Attempts} attempts over {Minutes:F0} min; retrying in {RetrySeconds:F0} s ({PendingBytes} bytes of data waiting in the files)")]
    public static partial void DatabaseStillFailing(ILogger logger, string problem, int attempts, double minutes, double retrySeconds, long pendingBytes);

    [LoggerMessage(EventId = 707, Level = LogLevel.Information, Message = "Database {Database} reachable again after {Seconds:F0} s; catching up from the files")]
    public static partial void DatabaseRecovered(ILogger logger, string database, double seconds);

    [LoggerMessage(EventId = 708, Level = LogLevel.Warning, Message = "{File} line {Line}: {Outcome} — skipped (the line stays in the file)")]
    public static partial void LineSkipped(ILogger logger, string file, long line, string outcome);

    [LoggerMessage(EventId = 709, Level = LogLevel.Warning, Message = "{Count} more line(s) skipped in the last minute (unparseable, unknown type or missing key fields)")]
    public static partial void LinesSkippedSummary(ILogger logger, long count);

    [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Not stored (this version does not know it): {Name}. Further occurrences are counted, not logged")]
    public static partial void UnknownName(ILogger logger, string name);

    [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "{File} is shorter ({Length} bytes) than its saved position ({Offset}): it was replaced or cut; reading it again from the start (rows already stored are skipped)")]
    public static partial void FileShrank(ILogger logger, string file, long offset, long length);

    [LoggerMessage(EventId = 712, Level = LogLevel.Information, Message = "Caught up: {Lines} lines from {Files} file(s) stored ({Rows} new rows, {Duplicates} already present) in {Seconds:F1} s")]
    public static partial void CaughtUp(ILogger logger, long lines, int files, long rows, long duplicates, double seconds);

    [LoggerMessage(EventId = 713, Level = LogLevel.Information, Message = "Store stopped: {Lines} lines, {Rows} new rows, {Duplicates} already present, {Skipped} lines skipped this run; {PendingBytes} bytes not yet stored")]
    public static partial void Stopped(ILogger logger, long lines, long rows, long duplicates, long skipped, long pendingBytes);

    [LoggerMessage(EventId = 714, Level = LogLevel.Error, Message = "Unexpected failure in the database store; JSONL recording goes on, the store restarts in {RetrySeconds:F0} s")]
    public static partial void Unexpected(ILogger logger, Exception exception, double retrySeconds);

    [LoggerMessage(EventId = 715, Level = LogLevel.Warning, Message = "{Count} log entries and {HealthCount} health rows were dropped while the database was away (the outbox is bounded)")]
    public static partial void OutboxDropped(ILogger logger, long count, long healthCount);

    [LoggerMessage(EventId = 716, Level = LogLevel.Warning, Message = "The last batch could not be stored before shutdown ({Problem}); it stays in the files and is stored at the next start")]
    public static partial void FinalFlushFailed(ILogger logger, string problem);
}
