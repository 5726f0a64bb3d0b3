namespace KxCollector.Hosting;

/// <summary>
/// The one map of log event ids: each feature logs within its own range, so an id names where it came from and a
/// new message never takes another's number (tests/KxCollector.Tests/Hosting/LogEventRangesTests.cs holds every
/// <c>[LoggerMessage(EventId = …)]</c> in src/KxCollector/ to it, and to being unique). Ids are stable: alerts and the store's
/// data_collection_logs.event_id refer to them.
/// </summary>
internal static class LogEventRanges
{
    /// <summary>Each range, the folders (under src/KxCollector/) whose messages use it (empty: not bound to a folder yet), and what it covers.</summary>
    public static readonly IReadOnlyList<(int First, int Last, string[] Folders, string Owner)> All =
    [
        (200, 299, ["Feeds"], "the exchange feeds"),
        (300, 399, ["Recording"], "append-only files 300–309, daily writer 310–319, tick loop 320–329"),
        (400, 439, ["Kalshi"], "credentials 400–409, REST 410–419, market tracker and its poll 420–439"),
        (440, 459, ["Kalshi"], "the official index (CF Benchmarks prints as Kalshi streams them)"),
        (460, 499, ["Kalshi"], "settlements 460–479, the state file 480–499"),
        (500, 599, ["Hosting", "Status"], "systemd 500–509, native heap trim 510–519, status file 520–529, GET /health 530–539, debug faults 590–599"),
        (600, 699, ["Kalshi/Stream"], "the Kalshi WebSocket stream"),
        (700, 799, ["Store"], "the database store"),
        (800, 899, ["Backfill", "Kalshi/History"], "history client, backfill runs, gap filling, pending gaps"),
        (900, 901, ["Kalshi", "Hosting"], "the recorded series: a series joins 900, its loop fails 901"),
        (902, 909, ["Kalshi/Sports"], "TARGET_SPORTS discovery"),
        (910, 919, ["Kalshi"], "the ENABLE_* switches report"),
        (920, 949, ["Kalshi/Games"], "sports games"),
        (1000, 1049, ["Archive"], "export, compression, retention"),
        (1100, 1149, ["Metrics", "StatusPage"], "metrics, web page, demo"),
    ];
}
