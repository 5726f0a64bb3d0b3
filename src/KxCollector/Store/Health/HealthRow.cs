namespace KxCollector.Store.Health;

/// <summary>One minute of a collector's life, for collection_health. Counts are for that minute.</summary>
internal sealed record HealthRow(
    DateTime Minute,
    int TicksWritten,
    int TicksNotWritten,
    int SecondsSkipped,
    int? MissingSeconds,
    DateTime? LastTickAt,
    int Reconnects,
    string FeedsJson,
    int JsonlBacklog,
    long StoreLines,
    long StoreRows,
    long StoreSkippedLines,
    int? StoreLagMs,
    long StorePendingBytes);
