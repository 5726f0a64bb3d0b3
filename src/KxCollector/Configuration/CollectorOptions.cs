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

    /// <summary>The database store; null when DATABASE_URL is not set (the collector then records JSONL only).</summary>
    public Store.StoreOptions? Store { get; init; }

    /// <summary>The file name prefix of the daily files: the series in lower case.</summary>
    public string FilePrefix => SeriesTicker.ToLowerInvariant();
}
