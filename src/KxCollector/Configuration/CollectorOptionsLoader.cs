using System.Text.RegularExpressions;

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

        var outputRaw = reader.String(SettingKeys.OutputDir, "./data");
        var outputDirectory = Path.GetFullPath(outputRaw, workingDirectory);

        var series = reader.String(SettingKeys.SeriesTicker, "KXBTC15M").ToUpperInvariant();
        if (!SeriesTickerPattern().IsMatch(series))
        {
            throw new ConfigurationException(SettingKeys.SeriesTicker, series, "a Kalshi series ticker such as KXBTC15M (letters, digits)");
        }

        var options = new CollectorOptions
        {
            OutputDirectory = outputDirectory,
            SeriesTicker = series,
            FeedStaleAfter = reader.PositiveSeconds(SettingKeys.FeedStaleSeconds, 5, 3600),
            FeedSilenceTimeout = reader.PositiveSeconds(SettingKeys.FeedSilenceSeconds, 5, 600),
            CoinbaseWebSocketUrl = reader.WebSocketUrl(SettingKeys.CoinbaseWsUrl, "wss://ws-feed.exchange.coinbase.com"),
            KrakenWebSocketUrl = reader.WebSocketUrl(SettingKeys.KrakenWsUrl, "wss://ws.kraken.com/v2"),
            BitstampWebSocketUrl = reader.WebSocketUrl(SettingKeys.BitstampWsUrl, "wss://ws.bitstamp.net"),
            Kalshi = LoadKalshi(reader, workingDirectory),
            Store = Store.StoreOptionsLoader.Load(reader, strictUrl: false),
        };

        OutputDirectoryProbe.EnsureWritable(SettingKeys.OutputDir, outputRaw, outputDirectory);
        return options;
    }

    private static KalshiOptions LoadKalshi(SettingsReader reader, string workingDirectory)
    {
        var environment = reader.OneOf(SettingKeys.KalshiEnv, "prod", "prod", "demo");
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
        };
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SeriesTickerPattern();
}
