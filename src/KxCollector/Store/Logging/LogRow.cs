namespace KxCollector.Store.Logging;

/// <summary>A warning or error on its way to data_collection_logs; (instance, <see cref="Seq"/>) makes a retried write land once.</summary>
internal sealed record LogRow(long Seq, DateTime Timestamp, string Level, int EventId, string Category, string Message, string? Exception);
