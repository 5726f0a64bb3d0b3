using Microsoft.Extensions.Logging;

namespace KxCollector.Archive;

// Event ids 1000–1049: export, compression and retention.
internal static partial class ArchiveLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Compressed {File}: {PlainBytes} bytes to {CompressedBytes} ({Ratio:F1}x) in {Seconds:F1} s")]
    public static partial void Compressed(ILogger logger, string file, long plainBytes, long compressedBytes, double ratio, double seconds);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Cannot compress {File}: {Reason}; the plain file is kept and tried again later")]
    public static partial void CompressFailed(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Removed {File}: older than RETENTION_DAYS={Days}")]
    public static partial void Removed(ILogger logger, string file, int days);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{File} and its .gz both exist and hold different lines (written after it was compressed?): both are kept; merge them by hand")]
    public static partial void BothDiffer(ILogger logger, string file);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Removed an unfinished compression left by a crash: {File}")]
    public static partial void StalePartialRemoved(ILogger logger, string file);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Compression and retention sweep failed: {Reason}; tried again in {Minutes} min")]
    public static partial void SweepFailed(ILogger logger, string reason, double minutes);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Finished a compression a crash had interrupted: removed {File}, whose .gz is complete")]
    public static partial void Finished(ILogger logger, string file);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Cannot remove {File} (RETENTION_DAYS): {Reason}")]
    public static partial void RemoveFailed(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "Store: {File} cannot be read to its end ({Reason}); the lines before the damage are stored, the rest are not")]
    public static partial void StoreCannotRead(ILogger logger, string file, string reason);
}
