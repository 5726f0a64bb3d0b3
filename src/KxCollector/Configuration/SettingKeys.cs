namespace KxCollector.Configuration;

/// <summary>The names of every setting, as they appear in .env, the environment, .env.example and README.md.</summary>
internal static class SettingKeys
{
    public const string OutputDir = "OUTPUT_DIR";
    public const string SeriesTicker = "SERIES_TICKER";
    public const string FeedStaleSeconds = "FEED_STALE_SECONDS";
    public const string FeedSilenceSeconds = "FEED_SILENCE_SECONDS";
    public const string CoinbaseWsUrl = "COINBASE_WS_URL";
    public const string KrakenWsUrl = "KRAKEN_WS_URL";
    public const string BitstampWsUrl = "BITSTAMP_WS_URL";
    public const string KalshiApiKeyId = "KALSHI_API_KEY_ID";
    public const string KalshiPrivKeyPath = "KALSHI_PRIV_KEY_PATH";
    public const string KalshiEnv = "KALSHI_ENV";
    public const string KalshiApiUrl = "KALSHI_API_URL";
    public const string KalshiWsUrl = "KALSHI_WS_URL";
    public const string DatabaseUrl = "DATABASE_URL";
    public const string CollectorId = "COLLECTOR_ID";
    public const string BatchInsertSize = "BATCH_INSERT_SIZE";
    public const string BatchFlushSeconds = "BATCH_FLUSH_SECONDS";
    public const string KalshiPollSeconds = "KALSHI_POLL_SECONDS";
    public const string KalshiFastPollSeconds = "KALSHI_FAST_POLL_SECONDS";
    public const string KalshiDiscoverySeconds = "KALSHI_DISCOVERY_SECONDS";
    public const string KalshiHttpTimeoutSeconds = "KALSHI_HTTP_TIMEOUT_SECONDS";
    public const string KalshiRestRps = "KALSHI_REST_RPS";
    public const string HealthPort = "HEALTH_PORT";
    public const string LogFormat = "LOG_FORMAT";
    public const string KalshiWsSilenceSeconds = "KALSHI_WS_SILENCE_SECONDS";
    public const string KalshiWsMaxMarkets = "KALSHI_WS_MAX_MARKETS";
    public const string BookDepth = "BOOK_DEPTH";
    public const string CollectionIntervalSeconds = "COLLECTION_INTERVAL_SECONDS";
    public const string OfficialIndexMap = "OFFICIAL_INDEX_MAP";
    public const string TargetSports = "TARGET_SPORTS";
    public const string GamePollSeconds = "GAME_POLL_SECONDS";
    public const string EnableLiveStreaming = "ENABLE_LIVE_STREAMING";
    public const string EnableRestPolling = "ENABLE_REST_POLLING";
    public const string EnableHistoricalBackfill = "ENABLE_HISTORICAL_BACKFILL";
    public const string RetentionDays = "RETENTION_DAYS";

    /// <summary>Test-only: stall the tick loop this many seconds after start, so the systemd watchdog test has a stall to catch.</summary>
    public const string DebugStallTicksAfterSeconds = "KX_DEBUG_STALL_TICKS_AFTER_SECONDS";

    /// <summary>
    /// Test-only: "BASE,CAP,STABLE" in milliseconds for the feeds' reconnect backoff (FeedTimings), so a process test of
    /// a flapping venue runs in seconds instead of the minutes the production 0.5 s / 30 s / 30 s would take.
    /// </summary>
    public const string DebugFeedBackoffMs = "KX_DEBUG_FEED_BACKOFF_MS";

    /// <summary>Must be "1" for any KX_DEBUG_* fault switch to be accepted, so a stray variable cannot break production.</summary>
    public const string DebugAllowFaults = "KX_DEBUG_ALLOW_FAULTS";
}
