using KxCollector.Kalshi.Index;

namespace KxCollector.Configuration;

/// <summary>Everything the daemon is configured with, validated once at start-up by <see cref="CollectorOptionsLoader"/>.</summary>
internal sealed class CollectorOptions
{
    // The defaults of the keys, read by CollectorOptionsLoader: one home, so the loader and the initialisers agree.
    public const string DefaultOutputDir = "./data";
    public const string DefaultSeries = "KXBTC15M";
    public const int DefaultBookDepth = 0;
    public const int DefaultCollectionIntervalSeconds = 1;
    public const double DefaultFeedStaleSeconds = 5;
    public const double DefaultFeedSilenceSeconds = 5;
    public const string DefaultCoinbaseWebSocketUrl = "wss://ws-feed.exchange.coinbase.com";
    public const string DefaultKrakenWebSocketUrl = "wss://ws.kraken.com/v2";
    public const string DefaultBitstampWebSocketUrl = "wss://ws.bitstamp.net";
    public const string DefaultLogFormat = "text";

    private readonly IReadOnlyList<string>? _series;

    /// <summary>Absolute path of the folder the JSONL files go to.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The first (or only) Kalshi series recorded, upper-case (e.g. KXBTC15M).</summary>
    public required string SeriesTicker { get; init; }

    /// <summary>
    /// Every series recorded from the start (SERIES_TICKER is a comma list), upper-case, without duplicates, in the
    /// order given. Defaults to <see cref="SeriesTicker"/> alone, so code that sets only that keeps working; empty
    /// when TARGET_SPORTS is set without SERIES_TICKER (the sports' series then join at run time).
    /// </summary>
    public IReadOnlyList<string> Series
    {
        get => _series is { Count: > 0 } list ? list : SeriesTicker.Length > 0 ? [SeriesTicker] : [];
        init => _series = value;
    }

    /// <summary>TARGET_SPORTS and GAME_POLL_SECONDS.</summary>
    public SportsOptions Sports { get; init; } = new();

    /// <summary>ENABLE_LIVE_STREAMING, ENABLE_REST_POLLING, ENABLE_HISTORICAL_BACKFILL.</summary>
    public CollectorSwitches Switches { get; init; } = CollectorSwitches.AllOn;

    /// <summary>BOOK_DEPTH: order-book levels per side written in each tick market entry; 0 writes no books.</summary>
    public int BookDepth { get; init; } = DefaultBookDepth;

    /// <summary>COLLECTION_INTERVAL_SECONDS: the tick period of series that do not settle on BRTI (BTC ones tick every second).</summary>
    public int CollectionIntervalSeconds { get; init; } = DefaultCollectionIntervalSeconds;

    /// <summary>An exchange quote older than this is written as null, never carried.</summary>
    public required TimeSpan FeedStaleAfter { get; init; }

    /// <summary>No frame at all for this long means a dead link: the feed aborts and reconnects.</summary>
    public required TimeSpan FeedSilenceTimeout { get; init; }

    public required Uri CoinbaseWebSocketUrl { get; init; }

    public required Uri KrakenWebSocketUrl { get; init; }

    public required Uri BitstampWebSocketUrl { get; init; }

    public required KalshiOptions Kalshi { get; init; }

    /// <summary>OFFICIAL_INDEX_MAP: the CF Benchmarks index each series settles on (streamed by Kalshi with a key).</summary>
    public OfficialIndexMap OfficialIndexes { get; init; } = OfficialIndexMap.Default;

    /// <summary>The database store; null when DATABASE_URL is not set (the collector then records JSONL only).</summary>
    public StoreOptions? Store { get; init; }
    /// <summary>RETENTION_DAYS: compressed days older than this many days are removed; null (the default) keeps everything.</summary>
    public int? RetentionDays { get; init; }

    /// <summary>The 127.0.0.1 port of GET /health, or null (the default) for no HTTP endpoint.</summary>
    public int? HealthPort { get; init; }

    /// <summary>LOG_FORMAT: one text line per event (the default) or one JSON object per event, for log shippers.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary>Test-only fault: the tick loop hangs this long after start (see <see cref="SettingKeys.DebugStallTicksAfterSeconds"/>).</summary>
    public TimeSpan? DebugStallTicksAfter { get; init; }

    /// <summary>Test-only: feed timings with a shortened backoff (see <see cref="SettingKeys.DebugFeedBackoffMs"/>); null in production.</summary>
    public FeedTimings? DebugFeedTimings { get; init; }

    /// <summary>
    /// True for the series that settle on CF Benchmarks' BRTI and so get exchange prices and brti in their ticks:
    /// KXBTC15M and its siblings (KXBTCD, KXBTC, …), i.e. every series whose ticker starts with "KXBTC". Sports and
    /// other series carry markets only.
    /// </summary>
    public static bool SettlesOnBrti(string series) => series.StartsWith("KXBTC", StringComparison.Ordinal);

    /// <summary>The tick period of a series: every second for BRTI series (the settlement window is per second).</summary>
    public int TickIntervalSecondsOf(string series) => SettlesOnBrti(series) ? 1 : CollectionIntervalSeconds;
}
