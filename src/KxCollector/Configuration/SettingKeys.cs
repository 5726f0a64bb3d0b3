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
}
