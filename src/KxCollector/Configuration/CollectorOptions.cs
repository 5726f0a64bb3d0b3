namespace KxCollector.Configuration;

/// <summary>Everything the daemon is configured with, validated once at start-up by <see cref="CollectorOptionsLoader"/>.</summary>
internal sealed class CollectorOptions
{
    /// <summary>Absolute path of the folder the JSONL files go to.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The Kalshi series recorded, upper-case (e.g. KXBTC15M).</summary>
    public required string SeriesTicker { get; init; }

    /// <summary>An exchange quote older than this is written as null, never carried.</summary>
    public required TimeSpan FeedStaleAfter { get; init; }

    /// <summary>No frame at all for this long means a dead link: the feed aborts and reconnects.</summary>
    public required TimeSpan FeedSilenceTimeout { get; init; }

    public required Uri CoinbaseWebSocketUrl { get; init; }

    public required Uri KrakenWebSocketUrl { get; init; }

    public required Uri BitstampWebSocketUrl { get; init; }

    public required KalshiOptions Kalshi { get; init; }

    /// <summary>The 127.0.0.1 port of GET /health, or null (the default) for no HTTP endpoint.</summary>
    public int? HealthPort { get; init; }

    /// <summary>Test-only fault: the tick loop hangs this long after start (see <see cref="SettingKeys.DebugStallTicksAfterSeconds"/>).</summary>
    public TimeSpan? DebugStallTicksAfter { get; init; }

    /// <summary>Test-only: feed timings with a shortened backoff (see <see cref="SettingKeys.DebugFeedBackoffMs"/>); null in production.</summary>
    public Feeds.FeedTimings? DebugFeedTimings { get; init; }

    /// <summary>The file name prefix of the daily files: the series in lower case.</summary>
    public string FilePrefix => SeriesTicker.ToLowerInvariant();
}
