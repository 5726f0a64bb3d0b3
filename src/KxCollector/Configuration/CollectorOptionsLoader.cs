using System.Globalization;
using KxCollector.Kalshi.Index;

namespace KxCollector.Configuration;

/// <summary>
/// Turns the merged settings into validated <see cref="CollectorOptions"/>. Pure apart from the output-folder
/// check, so a bad value is reported before any service starts.
/// </summary>
internal static partial class CollectorOptionsLoader
{
    public static CollectorOptions Load(IReadOnlyDictionary<string, string> settings, string workingDirectory)
    {
        var reader = new SettingsReader(settings);

        var outputRaw = reader.String(SettingKeys.OutputDir, CollectorOptions.DefaultOutputDir);
        var outputDirectory = Path.GetFullPath(outputRaw, workingDirectory);

        var switches = LoadSwitches(reader);
        var kalshi = LoadKalshi(reader, workingDirectory, switches.RestPolling);
        var sports = LoadSports(reader, kalshi.DiscoveryInterval);

        // TARGET_SPORTS alone records only the sports' series; SERIES_TICKER's default applies when it is not set.
        var series = sports.Sports.Count > 0 && reader.Raw(SettingKeys.SeriesTicker) is null ? [] : LoadSeries(reader);
        var options = new CollectorOptions
        {
            OutputDirectory = outputDirectory,
            SeriesTicker = series.Count > 0 ? series[0] : string.Empty,
            Series = series,
            Sports = sports,
            Switches = switches,
            BookDepth = reader.NonNegativeInt(SettingKeys.BookDepth, CollectorOptions.DefaultBookDepth, 100),
            CollectionIntervalSeconds = reader.PositiveInt(SettingKeys.CollectionIntervalSeconds, CollectorOptions.DefaultCollectionIntervalSeconds, 3600),
            FeedStaleAfter = reader.PositiveSeconds(SettingKeys.FeedStaleSeconds, CollectorOptions.DefaultFeedStaleSeconds, 3600),
            FeedSilenceTimeout = reader.PositiveSeconds(SettingKeys.FeedSilenceSeconds, CollectorOptions.DefaultFeedSilenceSeconds, 600),
            CoinbaseWebSocketUrl = reader.WebSocketUrl(SettingKeys.CoinbaseWsUrl, CollectorOptions.DefaultCoinbaseWebSocketUrl),
            KrakenWebSocketUrl = reader.WebSocketUrl(SettingKeys.KrakenWsUrl, CollectorOptions.DefaultKrakenWebSocketUrl),
            BitstampWebSocketUrl = reader.WebSocketUrl(SettingKeys.BitstampWsUrl, CollectorOptions.DefaultBitstampWebSocketUrl),
            Kalshi = kalshi,
            OfficialIndexes = OfficialIndexMap.Load(reader),
            Store = StoreOptionsLoader.Load(reader, strictUrl: false),
            HealthPort = reader.OptionalPort(SettingKeys.HealthPort),
            LogFormat = reader.OneOf(SettingKeys.LogFormat, CollectorOptions.DefaultLogFormat, "text", "json") == "json" ? LogFormat.Json : LogFormat.Text,
            RetentionDays = reader.Raw(SettingKeys.RetentionDays) is null ? null : reader.PositiveInt(SettingKeys.RetentionDays, 0, 36500),
            DebugStallTicksAfter = LoadDebugStall(reader),
            DebugFeedTimings = LoadDebugFeedTimings(reader),
        };

        OutputDirectoryProbe.EnsureWritable(SettingKeys.OutputDir, outputRaw, outputDirectory);
        return options;
    }

    /// <summary>
    /// OUTPUT_DIR resolved as the daemon resolves it, without creating or probing it: for the verbs that only read the
    /// data (status, verify), which must find the same folder the daemon writes.
    /// </summary>
    public static string ResolveOutputDirectory(SettingsReader reader, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Path.GetFullPath(reader.String(SettingKeys.OutputDir, CollectorOptions.DefaultOutputDir), workingDirectory);
    }

    /// <summary>SERIES_TICKER: one series or a comma list (KXBTC15M,KXNFLGAME); each is checked, duplicates dropped.
    /// The first is the primary series (status, watchdog).</summary>
    public static List<string> LoadSeries(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var raw = reader.String(SettingKeys.SeriesTicker, CollectorOptions.DefaultSeries);
        var series = new List<string>();
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries))
        {
            var ticker = part.ToUpperInvariant();
            if (!NameSyntax.IsTicker(ticker))
            {
                throw new ConfigurationException(
                    SettingKeys.SeriesTicker, raw, "a Kalshi series ticker such as KXBTC15M (letters, digits), or a comma list of them");
            }

            if (!series.Contains(ticker))
            {
                series.Add(ticker);
            }
        }

        return series;
    }

    /// <param name="restPolling">ENABLE_REST_POLLING: when false the open markets are still listed (to find new
    /// ones and results), but only every KALSHI_DISCOVERY_SECONDS.</param>
    private static KalshiOptions LoadKalshi(SettingsReader reader, string workingDirectory, bool restPolling)
    {
        var discovery = reader.PositiveSeconds(SettingKeys.KalshiDiscoverySeconds, KalshiOptions.DefaultDiscoverySeconds, 3600);
        var environment = reader.OneOf(SettingKeys.KalshiEnv, KalshiOptions.DefaultEnvironment, "prod", "demo");
        var prod = environment == "prod";
        var keyId = reader.Raw(SettingKeys.KalshiApiKeyId);
        var keyPath = reader.Raw(SettingKeys.KalshiPrivKeyPath);
        if (keyId is not null && keyPath is null)
        {
            throw new ConfigurationException(SettingKeys.KalshiPrivKeyPath, null, $"the path of the RSA private key PEM when {SettingKeys.KalshiApiKeyId} is set");
        }

        if (keyPath is not null && keyId is null)
        {
            throw new ConfigurationException(SettingKeys.KalshiApiKeyId, null, $"the API key id when {SettingKeys.KalshiPrivKeyPath} is set");
        }

        return new KalshiOptions
        {
            Environment = environment,
            ApiBaseUrl = reader.HttpUrl(SettingKeys.KalshiApiUrl, prod ? KalshiOptions.ProdApiUrl : KalshiOptions.DemoApiUrl),
            WebSocketUrl = reader.WebSocketUrl(SettingKeys.KalshiWsUrl, prod ? KalshiOptions.ProdWebSocketUrl : KalshiOptions.DemoWebSocketUrl),
            ApiKeyId = keyId,
            PrivateKeyPath = keyPath is null ? null : Path.GetFullPath(keyPath, workingDirectory),
            PollInterval = restPolling ? reader.PositiveSeconds(SettingKeys.KalshiPollSeconds, KalshiOptions.DefaultPollSeconds, 60) : discovery,
            FastPollInterval = restPolling ? reader.PositiveSeconds(SettingKeys.KalshiFastPollSeconds, KalshiOptions.DefaultFastPollSeconds, 10) : discovery,
            DiscoveryInterval = discovery,
            HttpTimeout = reader.PositiveSeconds(SettingKeys.KalshiHttpTimeoutSeconds, KalshiOptions.DefaultHttpTimeoutSeconds, 120),
            RestRequestsPerSecond = reader.PositiveNumber(
                SettingKeys.KalshiRestRps, KalshiOptions.DefaultRestRequestsPerSecond, KalshiOptions.MaxRestRequestsPerSecond, "requests per second"),
            WebSocketSilenceTimeout = reader.PositiveSeconds(SettingKeys.KalshiWsSilenceSeconds, KalshiOptions.DefaultWebSocketSilenceSeconds, 300),
            WebSocketMaxMarketsPerConnection = reader.PositiveInt(SettingKeys.KalshiWsMaxMarkets, KalshiOptions.DefaultWebSocketMaxMarkets, 10000),
        };
    }

    private static TimeSpan? LoadDebugStall(SettingsReader reader)
    {
        if (reader.Raw(SettingKeys.DebugStallTicksAfterSeconds) is null)
        {
            return null;
        }

        // A fault switch that stops recording must never take effect by accident (a copied .env, a leftover export).
        if (reader.Raw(SettingKeys.DebugAllowFaults) != "1")
        {
            throw new ConfigurationException(
                SettingKeys.DebugStallTicksAfterSeconds,
                reader.Raw(SettingKeys.DebugStallTicksAfterSeconds),
                $"to be unset: it is a test-only fault and is refused unless {SettingKeys.DebugAllowFaults}=1 is also set");
        }

        return reader.PositiveSeconds(SettingKeys.DebugStallTicksAfterSeconds, 1, 86400);
    }

    private static FeedTimings? LoadDebugFeedTimings(SettingsReader reader)
    {
        var raw = reader.Raw(SettingKeys.DebugFeedBackoffMs);
        if (raw is null)
        {
            return null;
        }

        if (reader.Raw(SettingKeys.DebugAllowFaults) != "1")
        {
            throw new ConfigurationException(
                SettingKeys.DebugFeedBackoffMs,
                raw,
                $"to be unset: it is a test-only switch and is refused unless {SettingKeys.DebugAllowFaults}=1 is also set");
        }

        var parts = raw.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        var valid = parts.Length == 3;
        for (var i = 0; valid && i < parts.Length; i++)
        {
            valid = int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) && values[i] is > 0 and <= 600_000;
        }

        if (!valid || values[1] < values[0])
        {
            throw new ConfigurationException(SettingKeys.DebugFeedBackoffMs, raw, "BASE,CAP,STABLE in milliseconds (1 to 600000 each, CAP >= BASE)");
        }

        return FeedTimings.Default with
        {
            BackoffBase = TimeSpan.FromMilliseconds(values[0]),
            BackoffCap = TimeSpan.FromMilliseconds(values[1]),
            StablePeriod = TimeSpan.FromMilliseconds(values[2]),
        };
    }
}
